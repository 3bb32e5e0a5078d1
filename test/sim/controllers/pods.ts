// Pod synthesis for the ReplicaSet controller: what the scheduler and the kubelet would make
// of a new pod, decided at once (the simulator has no clock-driven kubelet). The outcome comes
// from the cluster first (image missing from the registry, a Secret/ConfigMap key missing,
// the database Service with no Ready pod, no node that fits), then from the scenario's
// podRules, else healthy. Status, events and logs use the kubelet's own wording.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { parseQuantity } from '../quantity';
import { parseLabelSelector } from '../selectors';
import { globMatch, type ContainerLogs, type PodOutcome, type SimSettings } from '../settings';
import { nowIso, type KObj, type Store } from '../store';

export type Outcome = PodOutcome | 'unschedulable';

export interface Decision {
  outcome: Outcome;
  /** The container the outcome concerns (null for healthy / unschedulable). */
  container: string | null;
  /** It is an init container. */
  init?: boolean;
  /** Kubelet message (config: the CreateContainerConfigError text; image: the pull error; db: the connect error). */
  message?: string;
  logs?: ContainerLogs;
  /** probe: the probe that restarts the container (default the liveness probe). */
  probe?: 'livenessProbe' | 'startupProbe';
}

const hex = (n: number) => randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

// ---- images --------------------------------------------------------------------------
/** `dhakacart/backend:v1` → `docker.io/dhakacart/backend:v1`; `redis:7` → `docker.io/library/redis:7`. */
export function fullImage(image: string): string {
  let ref = image;
  const first = ref.split('/')[0]!;
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) ref = `docker.io/${ref.includes('/') ? ref : `library/${ref}`}`;
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  if (!last.includes(':') && !ref.includes('@')) ref += ':latest';
  return ref;
}
const shortImage = (image: string) => fullImage(image).replace(/^docker\.io\/(library\/)?/, '');

/** Images the registry has: settings.registry (unset = all), plus every image some container runs. */
export function imageExists(store: Store, settings: SimSettings, image: string): boolean {
  if (!settings.registry) return true;
  const want = shortImage(image);
  if (settings.registry.some((p) => globMatch(shortImage(p), want) || globMatch(p, image))) return true;
  return store.list('pods').some((p) => ((p.status?.containerStatuses ?? []) as any[]).some((c) => c.imageID && shortImage(c.image ?? '') === want));
}

function pullError(image: string): string {
  const f = fullImage(image);
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${f}": failed to resolve reference "${f}": ${f}: not found`;
}

// ---- what the kubelet decides -----------------------------------------------------------
function configError(store: Store, ns: string, c: any): string | undefined {
  const secret = (n: string) => store.get('secrets', ns, n);
  const cm = (n: string) => store.get('configmaps', ns, n);
  for (const f of c.envFrom ?? []) {
    if (f.configMapRef && !f.configMapRef.optional && !cm(f.configMapRef.name)) return `configmap "${f.configMapRef.name}" not found`;
    if (f.secretRef && !f.secretRef.optional && !secret(f.secretRef.name)) return `secret "${f.secretRef.name}" not found`;
  }
  for (const e of c.env ?? []) {
    const sk = e.valueFrom?.secretKeyRef;
    if (sk && !sk.optional) {
      const s = secret(sk.name);
      if (!s) return `secret "${sk.name}" not found`;
      if (!(sk.key in (s.data ?? {})) && !(sk.key in (s.stringData ?? {}))) return `couldn't find key ${sk.key} in Secret ${ns}/${sk.name}`;
    }
    const ck = e.valueFrom?.configMapKeyRef;
    if (ck && !ck.optional) {
      const m = cm(ck.name);
      if (!m) return `configmap "${ck.name}" not found`;
      if (!(ck.key in (m.data ?? {})) && !(ck.key in (m.binaryData ?? {}))) return `couldn't find key ${ck.key} in ConfigMap ${ns}/${ck.name}`;
    }
  }
  return undefined;
}

const envValue = (c: any, name: string): string | undefined => (c.env ?? []).find((e: any) => e.name === name && typeof e.value === 'string')?.value;
const isReady = (p: KObj) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/** The database a container with DB_HOST talks to is down: no Service, or no Ready pod behind it. */
function dbError(store: Store, ns: string, c: any): string | undefined {
  const host = envValue(c, 'DB_HOST');
  if (!host) return undefined;
  const [svcName, svcNs] = host.split('.');
  const svc = store.get('services', svcNs && svcNs !== 'svc' ? svcNs : ns, svcName!);
  if (!svc) return `getaddrinfo ENOTFOUND ${host}`;
  const sel = svc.spec?.selector ?? {};
  if (!Object.keys(sel).length) return undefined; // selector-less Service: endpoints managed by hand
  const match = parseLabelSelector(Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(','));
  const backends = store.list('pods', svc.metadata.namespace).filter((p) => match(p.metadata.labels) && !p.metadata.deletionTimestamp);
  if (backends.some(isReady)) return undefined;
  const port = envValue(c, 'DB_PORT') ?? String(svc.spec?.ports?.[0]?.port ?? 5432);
  return `connect ECONNREFUSED ${svc.spec?.clusterIP ?? host}:${port}`;
}

/** Seconds after start at which the kubelet gives up on a probe (defaults: period 10, threshold 3). */
const probeBudget = (p: any) => (p.initialDelaySeconds ?? 0) + (p.failureThreshold ?? 3) * (p.periodSeconds ?? 10);

function ruleMatches(r: SimSettings['podRules'][number], pod: KObj, c: any): boolean {
  if (r.selector && !parseLabelSelector(r.selector)(pod.metadata.labels)) return false;
  if (r.container && r.container !== c.name) return false;
  if (r.image && !globMatch(r.image, c.image ?? '') && !globMatch(shortImage(r.image), shortImage(c.image ?? ''))) return false;
  if (r.memoryLimitBelow !== undefined) {
    const lim = parseQuantity(c.resources?.limits?.memory);
    if (lim === undefined || lim >= (parseQuantity(r.memoryLimitBelow) ?? 0)) return false;
  }
  const lp = c.livenessProbe;
  if (r.livenessDelayBelow !== undefined && !(lp && (lp.initialDelaySeconds ?? 0) < r.livenessDelayBelow)) return false;
  if (r.livenessTimeoutBelow !== undefined && !(lp && (lp.timeoutSeconds ?? 1) < r.livenessTimeoutBelow)) return false;
  const lport = lp?.httpGet?.port ?? lp?.tcpSocket?.port;
  const lportN = typeof lport === 'string' ? (c.ports ?? []).find((x: any) => x.name === lport)?.containerPort : lport;
  if (r.livenessPortNot !== undefined && !(lp && lportN !== undefined && lportN !== r.livenessPortNot)) return false;
  if (r.livenessPathNot !== undefined && !(lp?.httpGet && (lp.httpGet.path ?? '/') !== r.livenessPathNot)) return false;
  if (r.startupBudgetBelow !== undefined && !(c.startupProbe && probeBudget(c.startupProbe) < r.startupBudgetBelow)) return false;
  return true;
}

/** Decide what becomes of a pod (spec complete, node not yet chosen). */
export function decide(store: Store, settings: SimSettings, pod: KObj): Decision {
  const ns = pod.metadata.namespace!;
  const inits = ((pod.spec?.initContainers ?? []) as any[]).map((c) => ({ c, init: true }));
  const mains = ((pod.spec?.containers ?? []) as any[]).map((c) => ({ c, init: false }));
  // The kubelet pulls and configures init containers first, then each container in order.
  for (const { c, init } of [...inits, ...mains]) {
    if (!imageExists(store, settings, c.image ?? '')) return { outcome: 'image', container: c.name, init, message: pullError(c.image ?? '') };
    const cfg = configError(store, ns, c);
    if (cfg) return { outcome: 'config', container: c.name, init, message: cfg };
  }
  for (const { c } of mains) {
    const db = dbError(store, ns, c);
    if (db) return { outcome: 'db', container: c.name, message: db };
  }
  for (const r of settings.podRules ?? []) {
    for (const { c, init } of [...mains, ...inits]) {
      if (ruleMatches(r, pod, c)) {
        if (r.outcome === 'healthy') return { outcome: 'healthy', container: null, logs: r.logs };
        return { outcome: r.outcome, container: c.name, init, logs: r.logs, ...(r.startupBudgetBelow !== undefined ? { probe: 'startupProbe' as const } : {}), message: r.outcome === 'image' ? pullError(c.image ?? '') : r.outcome === 'config' ? `couldn't find key password in Secret ${ns}/db-credentials` : undefined };
      }
    }
  }
  return { outcome: 'healthy', container: null };
}

// ---- scheduling ---------------------------------------------------------------------------
function requestsOf(pod: KObj): { cpu: number; memory: number } {
  let cpu = 0, memory = 0;
  for (const c of (pod.spec?.containers ?? []) as any[]) {
    const r = c.resources?.requests ?? c.resources?.limits ?? {};
    cpu += parseQuantity(r.cpu) ?? 0;
    memory += parseQuantity(r.memory) ?? 0;
  }
  return { cpu, memory };
}
const tolerates = (pod: KObj, t: any) => ((pod.spec?.tolerations ?? []) as any[]).some((x) => (x.operator === 'Exists' ? (!x.key || x.key === t.key) : x.key === t.key && (x.value ?? '') === (t.value ?? ''))
  && (!x.effect || x.effect === t.effect));

export interface Placement { node?: KObj; message?: string }

/** The scheduler, reduced: Ready and schedulable nodes, nodeSelector, taints, requests; spread by owner. */
export function schedule(store: Store, pod: KObj, ownerUid: string): Placement {
  const nodes = store.list('nodes');
  const pods = store.list('pods').filter((p) => p.spec?.nodeName && !['Succeeded', 'Failed'].includes(p.status?.phase));
  const want = requestsOf(pod);
  const reasons = new Map<string, number>();
  const no = (r: string) => { reasons.set(r, (reasons.get(r) ?? 0) + 1); return false; };
  const fits = nodes.filter((n) => {
    if (n.spec?.unschedulable) return no('node(s) were unschedulable');
    if (!(n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')) return no('node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
    const sel = pod.spec?.nodeSelector ?? {};
    if (Object.entries(sel).some(([k, v]) => n.metadata.labels?.[k] !== v)) return no("node(s) didn't match Pod's node affinity/selector");
    const taint = ((n.spec?.taints ?? []) as any[]).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod, t));
    if (taint) return no(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    const used = pods.filter((p) => p.spec.nodeName === n.metadata.name).map(requestsOf).reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0, memory: 0 });
    const alloc = n.status?.allocatable ?? {};
    let ok = true;
    if (want.cpu && used.cpu + want.cpu > (parseQuantity(alloc.cpu) ?? Infinity)) ok = no('Insufficient cpu');
    if (want.memory && used.memory + want.memory > (parseQuantity(alloc.memory) ?? Infinity)) ok = no('Insufficient memory');
    return ok;
  });
  if (!fits.length) {
    const parts = [...reasons.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([r, n]) => `${n} ${r}`).join(', ');
    return { message: `0/${nodes.length} nodes are available: ${parts || 'no nodes available to schedule pods'}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} No preemption victims found for incoming pod.` };
  }
  const mine = (n: KObj) => pods.filter((p) => p.spec.nodeName === n.metadata.name && p.metadata.ownerReferences?.some((o: any) => o.uid === ownerUid)).length;
  const all = (n: KObj) => pods.filter((p) => p.spec.nodeName === n.metadata.name).length;
  fits.sort((a, b) => mine(a) - mine(b) || all(a) - all(b) || (a.metadata.name! < b.metadata.name! ? -1 : 1));
  return { node: fits[0] };
}

/** A free address in the node's podCIDR. */
export function podIpOn(store: Store, node: KObj): string {
  const cidr: string = node.spec?.podCIDR ?? '10.244.0.0/24';
  const base = cidr.split('/')[0]!.split('.').slice(0, 3).join('.');
  const used = new Set(store.list('pods').map((p) => p.status?.podIP));
  for (let i = 2; i < 255; i++) if (!used.has(`${base}.${i}`)) return `${base}.${i}`;
  return `${base}.254`;
}

// ---- status, events, logs ----------------------------------------------------------------
export interface EventSpec { reason: string; message: string; type: 'Normal' | 'Warning'; fieldPath?: string; count?: number; component?: string; scheduler?: boolean }

function qosClass(containers: any[]): string {
  const all = containers.map((c) => c.resources ?? {});
  if (all.every((r) => !Object.keys(r.requests ?? {}).length && !Object.keys(r.limits ?? {}).length)) return 'BestEffort';
  const guaranteed = all.every((r) => ['cpu', 'memory'].every((k) => r.limits?.[k] !== undefined
    && parseQuantity(r.requests?.[k] ?? r.limits[k]) === parseQuantity(r.limits[k])));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const cond = (type: string, ok: boolean, at: string, reason?: string, message?: string) => ({
  type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at, ...(reason ? { reason } : {}), ...(message ? { message } : {}),
});

/** The probe's port (a name resolves through the container's ports) is one the container declares. */
function probeAimsAtDeclaredPort(c: any, p: any): boolean {
  const port = p?.httpGet?.port ?? p?.tcpSocket?.port;
  const ports = (c.ports ?? []) as any[];
  if (port === undefined || !ports.length) return true;
  return ports.some((x) => x.containerPort === port || (typeof port === 'string' && x.name === port));
}

const probeUrl = (pod: KObj, c: any, p: any) => {
  const port = typeof p?.httpGet?.port === 'number' ? p.httpGet.port : c.ports?.[0]?.containerPort ?? 80;
  return `http://${pod.status?.podIP}:${port}${p?.httpGet?.path ?? '/'}`;
};

function synthLogs(d: Decision, c: any, now: string): ContainerLogs {
  const img = c.image ?? '';
  const tag = img.includes(':') ? img.slice(img.lastIndexOf(':') + 1) : 'latest';
  const host = envValue(c, 'DB_HOST');
  const lines = (xs: string[]) => xs.map((x) => `${now} ${x}`).join('\n') + '\n';
  const start = [`info: Starting ${img} (NODE_ENV=${envValue(c, 'NODE_ENV') ?? 'production'})`,
    ...(host ? [`info: Connecting to PostgreSQL at ${host}:${envValue(c, 'DB_PORT') ?? '5432'}/${envValue(c, 'DB_NAME') ?? 'app'}`] : [])];
  const limit = c.resources?.limits?.memory ?? 'unset';
  switch (d.outcome) {
    case 'healthy':
      return { current: lines([...start, ...(host ? ['info: PostgreSQL connection pool ready (max=20)'] : []),
        `info: HTTP server listening on :${c.ports?.[0]?.containerPort ?? 8080} (${tag})`]) };
    case 'oom':
      return { previous: lines([...start, 'info: Warming product cache (48213 products, 6 locales)',
        `warn: heap used 289 MB (container limit ${limit})`, `warn: heap used 448 MB (container limit ${limit})`,
        'warn: GC pressure: mark-compact took 1214 ms, freed 3 MB']) };
    case 'probe':
      return { previous: lines([...start, 'info: Preloading product catalogue before accepting traffic (48213 products)',
        'info: Catalogue preload 50% (24107/48213)', 'warn: Received SIGTERM during startup; finishing preload before shutdown']) };
    case 'db': {
      const err = d.message ?? 'connect ECONNREFUSED';
      return { previous: lines([...start, ...[1, 2, 3, 4, 5].map((i) => `error: PostgreSQL connection failed (attempt ${i}/5): ${err}`),
        `fatal: could not connect to the database (DB_HOST=${host} DB_PORT=${envValue(c, 'DB_PORT') ?? '5432'}), exiting`]) + `Error: ${err}\n` };
    }
    case 'crash':
      return { previous: lines([...start, 'error: uncaught exception: TypeError: Cannot read properties of undefined (reading \'split\')',
        'fatal: exiting with code 1']) };
    default:
      return {};
  }
}

export interface Synthesized { status: any; events: EventSpec[]; logs: Record<string, ContainerLogs> }

/**
 * Status, kubelet events and logs for a pod that has metadata.uid, spec (with nodeName when
 * scheduled) and status.podIP/hostIP set.
 */
export function synthesize(store: Store, pod: KObj, d: Decision, placement: Placement): Synthesized {
  const now = nowIso();
  const name = pod.metadata.name!, ns = pod.metadata.namespace!, uid = pod.metadata.uid!;
  const node = placement.node;
  const containers = (pod.spec.containers ?? []) as any[];
  const inits = (pod.spec.initContainers ?? []) as any[];
  const events: EventSpec[] = [];
  const logs: Record<string, ContainerLogs> = {};
  const qos = qosClass([...inits, ...containers]);

  if (!node) {
    events.push({ reason: 'FailedScheduling', type: 'Warning', message: placement.message!, scheduler: true });
    return {
      status: { phase: 'Pending', qosClass: qos, conditions: [cond('PodScheduled', false, now, 'Unschedulable', placement.message)] },
      events, logs,
    };
  }
  events.push({ reason: 'Scheduled', type: 'Normal', message: `Successfully assigned ${ns}/${name} to ${node.metadata.name}`, scheduler: true });
  const fp = (c: any, init: boolean) => `spec.${init ? 'initContainers' : 'containers'}{${c.name}}`;
  const present = (img: string) => store.list('pods').some((p) => p.spec?.nodeName === node.metadata.name
    && ((p.status?.containerStatuses ?? []) as any[]).some((s) => s.imageID && shortImage(s.image ?? '') === shortImage(img)));
  const pulled = (c: any, init: boolean) => {
    if (present(c.image) || c.imagePullPolicy === 'Never') {
      events.push({ reason: 'Pulled', type: 'Normal', fieldPath: fp(c, init), message: `Container image "${c.image}" already present on machine` });
    } else {
      events.push({ reason: 'Pulling', type: 'Normal', fieldPath: fp(c, init), message: `Pulling image "${c.image}"` });
      events.push({ reason: 'Pulled', type: 'Normal', fieldPath: fp(c, init), message: `Successfully pulled image "${c.image}" in 2.118s (2.118s including waiting). Image size: 48213377 bytes.` });
    }
  };
  const started = (c: any, init: boolean, count = 1) => {
    events.push({ reason: 'Created', type: 'Normal', fieldPath: fp(c, init), message: `Created container: ${c.name}`, count });
    events.push({ reason: 'Started', type: 'Normal', fieldPath: fp(c, init), message: `Started container ${c.name}`, count });
  };
  const cid = () => `containerd://${hex(64)}`;
  const imageID = (img: string) => `${fullImage(img).replace(/:[^:/]+$/, '')}@sha256:${sha(fullImage(img))}`;
  const running = (c: any, ready = true) => ({
    name: c.name, image: fullImage(c.image ?? ''), imageID: imageID(c.image ?? ''), containerID: cid(), ready, started: true, restartCount: 0,
    state: { running: { startedAt: now } }, lastState: {},
  });
  const waiting = (c: any, reason: string, message?: string) => ({
    name: c.name, image: c.image, imageID: '', ready: false, started: false, restartCount: 0, lastState: {},
    state: { waiting: { reason, ...(message ? { message } : {}) } },
  });

  const failing = d.outcome === 'healthy' ? null : d.container;
  const failedInit = d.init ? failing : null;
  const initStatuses: any[] = [];
  let initDone = true;
  for (const c of inits) {
    if (!initDone) { initStatuses.push(waiting(c, 'PodInitializing')); continue; }
    if (c.name === failedInit) {
      initDone = false;
      initStatuses.push(containerFailure(c, true));
      continue;
    }
    pulled(c, true);
    started(c, true);
    if (c.restartPolicy === 'Always') initStatuses.push(running(c)); // native sidecar
    else {
      const id = cid();
      initStatuses.push({ name: c.name, image: fullImage(c.image ?? ''), imageID: imageID(c.image ?? ''), containerID: id, ready: true, started: false, restartCount: 0,
        state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now, containerID: id } }, lastState: {} });
    }
  }

  function containerFailure(c: any, init: boolean): any {
    const k = d.outcome;
    if (k === 'image') {
      events.push({ reason: 'Pulling', type: 'Normal', fieldPath: fp(c, init), message: `Pulling image "${c.image}"` });
      events.push({ reason: 'Failed', type: 'Warning', fieldPath: fp(c, init), message: `Failed to pull image "${c.image}": ${d.message}` });
      events.push({ reason: 'Failed', type: 'Warning', fieldPath: fp(c, init), message: 'Error: ErrImagePull' });
      return waiting(c, 'ErrImagePull', d.message);
    }
    pulled(c, init);
    if (k === 'config') {
      events.push({ reason: 'Failed', type: 'Warning', fieldPath: fp(c, init), message: `Error: ${d.message}` });
      return waiting(c, 'CreateContainerConfigError', d.message);
    }
    // A container that runs and dies: the kubelet restarted it once and now backs off.
    started(c, init, 2);
    const exit = k === 'oom' ? { exitCode: 137, reason: 'OOMKilled' } : k === 'probe' ? { exitCode: 137, reason: 'Error' } : { exitCode: 1, reason: 'Error' };
    if (k === 'probe') {
      const which = d.probe ?? 'livenessProbe';
      const probe = c[which];
      const url = probeUrl(pod, c, probe);
      const fails = probe?.failureThreshold ?? 3;
      const label = which === 'startupProbe' ? 'Startup' : 'Liveness';
      // Nothing listens on an undeclared port, nor anywhere before a slow start ends: the dial
      // is refused. A declared port that does not answer in time is an app too slow for it.
      // Texts: kubelet prober.go ("%s probe failed: %s", the probe type capitalised), Go
      // net/http's `Get "URL": dial tcp IP:PORT: connect: connection refused`, and
      // kuberuntime_container.go ("Container %s failed %s probe, will be restarted").
      const refused = which === 'startupProbe' || !probeAimsAtDeclaredPort(c, probe);
      const failure = refused ? `dial tcp ${new URL(url).host}: connect: connection refused` : 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
      events.push({ reason: 'Unhealthy', type: 'Warning', fieldPath: fp(c, init), count: fails, message: `${label} probe failed: Get "${url}": ${failure}` });
      // Readiness is probed only once a startup probe has passed, and fails with the liveness
      // probe only when it too waits on a slow app or aims where nothing listens.
      const readinessFails = c.readinessProbe && which === 'livenessProbe' && (!refused || !probeAimsAtDeclaredPort(c, c.readinessProbe));
      if (readinessFails) {
        events.push({ reason: 'Unhealthy', type: 'Warning', fieldPath: fp(c, init), count: 6,
          message: `Readiness probe failed: Get "${probeUrl(pod, c, c.readinessProbe)}": ${failure}` });
      }
      events.push({ reason: 'Killing', type: 'Normal', fieldPath: fp(c, init), message: `Container ${c.name} failed ${label.toLowerCase()} probe, will be restarted` });
    }
    events.push({ reason: 'BackOff', type: 'Warning', fieldPath: fp(c, init), message: `Back-off restarting failed container ${c.name} in pod ${name}_${ns}(${uid})` });
    const id = cid();
    return {
      name: c.name, image: fullImage(c.image ?? ''), imageID: imageID(c.image ?? ''), containerID: id, ready: false, started: false, restartCount: 1,
      state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=${c.name} pod=${name}_${ns}(${uid})` } },
      lastState: { terminated: { ...exit, startedAt: now, finishedAt: now, containerID: id } },
    };
  }

  const statuses: any[] = [];
  for (const c of containers) {
    if (!initDone) statuses.push(waiting(c, 'PodInitializing'));
    else if (c.name === failing && !d.init) statuses.push(containerFailure(c, false));
    else { pulled(c, false); started(c, false); statuses.push(running(c)); }
  }
  for (const c of [...inits, ...containers]) {
    const s = [...initStatuses, ...statuses].find((x) => x.name === c.name);
    if (!s?.containerID && !s?.lastState?.terminated) continue;
    const dd: Decision = c.name === failing ? d : { outcome: 'healthy', container: null };
    const l = (c.name === failing || d.outcome === 'healthy') && d.logs ? d.logs : synthLogs(dd, c, now);
    if (Object.keys(l).length) logs[`${name}/${c.name}`] = l;
  }

  const notReady = statuses.filter((s) => !s.ready).map((s) => s.name);
  const ready = notReady.length === 0;
  const unready = `containers with unready status: [${notReady.join(' ')}]`;
  const anyRunning = statuses.some((s) => s.state.running || s.lastState?.terminated);
  const phase = initDone && anyRunning ? 'Running' : 'Pending';
  const conditions = [
    cond('PodReadyToStartContainers', true, now),
    initDone ? cond('Initialized', true, now) : cond('Initialized', false, now, 'ContainersNotInitialized', `containers with incomplete status: [${failedInit}]`),
    ready ? cond('Ready', true, now) : cond('Ready', false, now, 'ContainersNotReady', unready),
    ready ? cond('ContainersReady', true, now) : cond('ContainersReady', false, now, 'ContainersNotReady', unready),
    cond('PodScheduled', true, now),
  ];
  const hostIP = (node.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address ?? '10.0.0.1';
  const status: any = {
    phase, hostIP, hostIPs: [{ ip: hostIP }], podIP: pod.status.podIP, podIPs: [{ ip: pod.status.podIP }], qosClass: qos, startTime: now, conditions,
    ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}), containerStatuses: statuses,
  };
  return { status, events, logs };
}

/** The Event object for an EventSpec about `obj` (kubelet events carry the node as host). */
export function eventObject(obj: KObj, e: EventSpec, host?: string): KObj {
  const now = nowIso();
  const involvedObject: any = { apiVersion: obj.apiVersion ?? 'v1', kind: obj.kind ?? 'Pod', name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion };
  if (e.fieldPath) involvedObject.fieldPath = e.fieldPath;
  const meta = { name: `${obj.metadata.name}.${hex(16)}`, namespace: obj.metadata.namespace, uid: randomUUID() };
  if (e.scheduler) {
    return { apiVersion: 'v1', kind: 'Event', metadata: meta, involvedObject, reason: e.reason, message: e.message, type: e.type, action: e.type === 'Normal' ? 'Binding' : 'Scheduling',
      eventTime: new Date().toISOString().replace('Z', '000Z'), firstTimestamp: null, lastTimestamp: null, source: {},
      reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-dhakacart-control-plane' };
  }
  const component = e.component ?? 'kubelet';
  return {
    apiVersion: 'v1', kind: 'Event', metadata: meta, involvedObject, reason: e.reason, message: e.message, type: e.type, count: e.count ?? 1,
    firstTimestamp: now, lastTimestamp: now, source: component === 'kubelet' ? { component, host } : { component },
    reportingComponent: component, reportingInstance: component === 'kubelet' ? host ?? '' : '', eventTime: null,
  };
}
