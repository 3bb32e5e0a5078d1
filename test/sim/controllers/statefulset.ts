// Two reconcilers the default set leaves out, for tests that repair a dependency and expect
// the app to recover (test/dependency.test.ts passes them to startSim):
// - statefulSetController: pods NAME-0..N-1 for spec.replicas, highest ordinal removed first.
// - dependentsRecover(selector): a crash-looping pod of `selector` whose dependencies (the
//   Services its *_HOST env names) all have a Ready pod again, one that accepts the pod's
//   credentials for it, starts cleanly on the kubelet's next restart: the simulator has no
//   clock, so that restart happens at once.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { randomUUID } from 'node:crypto';
import type { ControllerContext, Reconciler } from './index';
import { decide, podIpOn, schedule, synthesize } from './pods';
import { deletePod, podReady, recordEvent } from './replicaset';
import { parseLabelSelector } from '../selectors';
import { nowIso, type KObj } from '../store';

const STS = 'statefulsets.apps';

function createOrdinal(ctx: ControllerContext, sts: KObj, name: string): void {
  const { store, settings } = ctx;
  const t = sts.spec?.template ?? {};
  const spec: any = { ...structuredClone(t.spec ?? {}), hostname: name, subdomain: sts.spec?.serviceName, restartPolicy: t.spec?.restartPolicy ?? 'Always' };
  const pod: KObj = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, generateName: `${sts.metadata.name}-`, namespace: sts.metadata.namespace, uid: randomUUID(), creationTimestamp: nowIso(),
      labels: { ...(t.metadata?.labels ?? {}), 'statefulset.kubernetes.io/pod-name': name },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.metadata.name!, uid: sts.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec, status: {},
  };
  const placement = schedule(store, pod, sts.metadata.uid!);
  const d = placement.node ? decide(store, settings, pod) : { outcome: 'unschedulable' as const, container: null };
  if (placement.node) { spec.nodeName = placement.node.metadata.name; pod.status.podIP = podIpOn(store, placement.node); }
  const syn = synthesize(store, pod, d, placement);
  pod.status = syn.status;
  const created = store.create('pods', pod);
  recordEvent(store, sts, { reason: 'SuccessfulCreate', type: 'Normal', component: 'statefulset-controller', message: `create Pod ${name} in StatefulSet ${sts.metadata.name} successful` });
  for (const e of syn.events) recordEvent(store, created, e, spec.nodeName);
  Object.assign(settings.logs, syn.logs);
}

export const statefulSetController: Reconciler = (ctx) => {
  const { store } = ctx;
  let changed = false;
  for (const sts of store.list(STS)) {
    const ns = sts.metadata.namespace!;
    const want = sts.spec?.replicas ?? 1;
    const owned = () => store.list('pods', ns).filter((p) => p.metadata.ownerReferences?.some((o: any) => o.kind === 'StatefulSet' && o.name === sts.metadata.name));
    for (let i = 0; i < want; i++) {
      const name = `${sts.metadata.name}-${i}`;
      if (!store.get('pods', ns, name)) { createOrdinal(ctx, sts, name); changed = true; }
    }
    for (const p of owned()) {
      const ordinal = Number(p.metadata.name!.slice(sts.metadata.name!.length + 1));
      if (ordinal >= want) { deletePod(ctx, p); changed = true; }
    }
    const pods = owned();
    const st = { ...(sts.status ?? {}), replicas: pods.length, readyReplicas: pods.filter(podReady).length, availableReplicas: pods.filter(podReady).length };
    if (st.replicas !== sts.status?.replicas || st.readyReplicas !== (sts.status?.readyReplicas ?? 0)) {
      store.update(STS, { ...store.get(STS, ns, sts.metadata.name!)!, status: st });
      changed = true;
    }
  }
  return changed;
};

const crashLooping = (p: KObj) => ((p.status?.containerStatuses ?? []) as any[]).some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff');

/** When a Secret last changed: its newest managedFields time, else its creation. */
function changedAt(secret: KObj): number {
  const times = ((secret.metadata.managedFields ?? []) as any[]).map((f) => Date.parse(f.time ?? '')).filter((t) => !Number.isNaN(t));
  return times.length ? Math.max(...times) : Date.parse(secret.metadata.creationTimestamp ?? '') || 0;
}

const readsSecret = (pod: KObj, name: string) => ((pod.spec?.containers ?? []) as any[]).some((c) => (c.env ?? []).some((e: any) => e.valueFrom?.secretKeyRef?.name === name));
/** Database servers apply their password env only when the data directory is first made. */
const INIT_ONLY = /postgres|mysql|mariadb|mongo/;

/**
 * A server that reads the client's Secret accepts the value it read: at start (Redis
 * --requirepass $(REDIS_PASSWORD)), or for a database when its workload was created.
 */
function acceptsCredentials(ctx: ControllerContext, server: KObj, secrets: string[]): boolean {
  const ns = server.metadata.namespace!;
  return secrets.every((name) => {
    const secret = ctx.store.get('secrets', ns, name);
    if (!secret || !readsSecret(server, name)) return true;
    const image = String(server.spec?.containers?.[0]?.image ?? '');
    const readAt = INIT_ONLY.test(image) ? Date.parse(server.metadata.creationTimestamp ?? '') : Date.parse(server.status?.startTime ?? server.metadata.creationTimestamp ?? '');
    return readAt >= changedAt(secret);
  });
}

/** Every Service the pod's *_HOST env names exists and has a Ready pod behind it that accepts the pod's credentials for it. */
function dependenciesUp(ctx: ControllerContext, p: KObj): boolean {
  const ns = p.metadata.namespace!;
  const env = ((p.spec?.containers ?? []) as any[]).flatMap((c) => (c.env ?? []) as any[]);
  const hosts = env.filter((e) => /_HOST$/.test(e.name) && typeof e.value === 'string');
  return hosts.every((h) => {
    const svc = ctx.store.get('services', ns, (h.value as string).split('.')[0]!);
    const sel = svc?.spec?.selector;
    if (!svc || !sel) return !!svc;
    const match = parseLabelSelector(Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(','));
    const prefix = (h.name as string).replace(/_HOST$/, '_');
    const secrets = env.filter((e) => e.name.startsWith(prefix) && e.valueFrom?.secretKeyRef).map((e) => e.valueFrom.secretKeyRef.name as string);
    return ctx.store.list('pods', ns).some((x) => match(x.metadata.labels) && podReady(x) && !x.metadata.deletionTimestamp && acceptsCredentials(ctx, x, secrets));
  });
}

export function dependentsRecover(selector: string): Reconciler {
  const match = parseLabelSelector(selector);
  return (ctx) => {
    let changed = false;
    for (const p of ctx.store.list('pods').filter((x) => match(x.metadata.labels) && crashLooping(x) && x.spec?.nodeName)) {
      if (!dependenciesUp(ctx, p) || decide(ctx.store, ctx.settings, p).outcome !== 'healthy') continue;
      const now = nowIso();
      const statuses = (p.status.containerStatuses as any[]).map((c) => (c.state?.waiting?.reason === 'CrashLoopBackOff'
        ? { ...c, ready: true, started: true, restartCount: (c.restartCount ?? 0) + 1, state: { running: { startedAt: now } } } : c));
      const conditions = (p.status.conditions as any[] ?? []).map((c) => (['Ready', 'ContainersReady'].includes(c.type) ? { type: c.type, status: 'True', lastProbeTime: null, lastTransitionTime: now } : c));
      ctx.store.update('pods', { ...p, status: { ...p.status, phase: 'Running', containerStatuses: statuses, conditions } });
      changed = true;
    }
    return changed;
  };
}
