import { DEFAULT_HEALTH_WINDOW_MS } from '../kube/podState';
import { CliError } from '../errors';
import { formatBytes, parseQuantity } from '../kube/quantity';
import type { Deployment, Pod, ReplicaSet } from '../kube/types';
import { previousImage, imageRepository } from '../remedy/image';
import { planOom } from '../remedy/oom';
import { planEvicted } from '../remedy/evicted';
import { durableChange, managerOf, valuesOf } from '../remedy/managed';
import type { Patch } from '../kube/patch';
import type { Change, Plan } from '../remedy/plan';
import { healthyTarget, rollbackTarget, type RollbackAim } from '../remedy/rollback';
import { CHANGE_CAUSE_ANNOTATION, revisionOf } from '../kube/deployment';
import { sanitizeLogLine } from '../security/sanitize';
import { planProbe } from '../remedy/probe';
import type { ChangeInfo } from './change';
import type { RuleContext } from './context';
import type { Fix } from './diagnosis';
import type { Finding, FixHint, MissingReference } from './finding';
import { containerReferences } from './references';
import { expandedSize } from './volumes';

/**
 * What the plugin targets: a Deployment; a StatefulSet gets the same changes as plain kubectl
 * commands (the remedy planners only read `spec.template`, which both kinds share).
 */
interface Workload { kind: 'deployment' | 'statefulset'; name: string; asDeployment: Deployment }

function workloadOf(ctx: RuleContext): Workload | null {
  const { deployment, statefulSet } = ctx.owner;
  if (deployment) return { kind: 'deployment', name: deployment.metadata.name, asDeployment: deployment };
  if (statefulSet) {
    return { kind: 'statefulset', name: statefulSet.metadata.name, asDeployment: { metadata: statefulSet.metadata, spec: { selector: statefulSet.spec.selector, template: statefulSet.spec.template } } };
  }
  return null;
}

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

class Commands {
  constructor(private readonly ctx: RuleContext, readonly w: Workload) {}
  get ns() { return `-n ${this.ctx.namespace}`; }
  get ref() { return `${this.w.kind}/${this.w.name}`; }
  /** The plugin's command; for a StatefulSet a shell comment saying why there is none. */
  plugin(sub: string, flags = ''): string {
    return this.w.kind === 'deployment'
      ? `kubectl dhakacart ${sub} ${this.ref} ${this.ns}${flags}`
      : `# kubectl dhakacart ${sub} changes Deployments only; for ${this.ref} run the kubectl commands`;
  }
  /** `--container` only when the fix's own default (backend, or the only container) might pick another one. */
  containerFlag(): string {
    return this.w.asDeployment.spec.template.spec.containers.length > 1 ? ` --container ${this.ctx.focus.name}` : '';
  }
  patch(p: Patch): string {
    return `kubectl patch ${this.w.kind} ${this.w.name} ${this.ns} --type ${p.type} -p ${shq(JSON.stringify(p.body))}`;
  }
  /** The changes the proposed fix makes: what a Helm/Argo CD/Flux-managed workload needs as values instead. */
  changes: Change[] = [];
  /** The kubectl patch of a plan, remembering its changes. */
  planned(p: Plan & { patch: Patch }): string {
    this.changes = p.changes;
    return this.patch(p.patch);
  }
}

/** The remedy planners refuse what they cannot change (an init container, an unknown container): then there is no fix to offer. */
function planned<T>(make: () => T): T | null {
  try {
    return make();
  } catch (e) {
    if (e instanceof CliError) return null;
    throw e;
  }
}

function oomFix(c: Commands, ctx: RuleContext): Fix | null {
  const plan = planned(() => planOom(c.w.asDeployment, ctx.snapshot.nodes, { container: ctx.focus.name }));
  if (!plan?.patch) return null;
  const limit = plan.changes.find((ch) => ch.path.endsWith('limits.memory'))?.to;
  return { command: c.plugin('fix oom', `${c.containerFlag()}${limit ? ` --memory ${limit}` : ''}`), kubectl: [c.planned({ ...plan, patch: plan.patch })] };
}

/** Headroom over what the kubelet saw the container use, so the request covers the next peak. */
const EVICTION_HEADROOM = 1.25;
const MI = 2 ** 20;

/**
 * Evicted for memory: the kubelet picks the pod whose use exceeds its request the most, so the
 * remedy is a request that covers the use it reported (+25%, in 64Mi steps); the limit stays
 * unless the new request is above it. Without a usage figure, the generic `fix oom`.
 */
function evictedMemoryFix(c: Commands, ctx: RuleContext, usageText: string | null): Fix | null {
  const usage = usageText ? parseQuantity(usageText) : null;
  if (!usage) return oomFix(c, ctx);
  const request = Math.ceil((usage * EVICTION_HEADROOM) / (64 * MI)) * 64 * MI;
  const limitText = ctx.focus.spec.resources?.limits?.memory ?? null;
  const limit = limitText ? parseQuantity(limitText) : null;
  const memory = limit && limit >= request ? limitText! : formatBytes(request);
  const plan = planned(() => planOom(c.w.asDeployment, ctx.snapshot.nodes, { container: ctx.focus.name, memory, memoryRequest: formatBytes(request) }));
  if (!plan?.patch) return null;
  return { command: c.plugin('fix oom', `${c.containerFlag()} --memory ${memory} --memory-request ${formatBytes(request)}`), kubectl: [c.planned({ ...plan, patch: plan.patch })] };
}

/** A probe aimed at the wrong port or path is pointed right; only a slow start gets a relaxed probe. */
function probeFix(c: Commands, ctx: RuleContext, h: Extract<FixHint, { kind: 'probe' }>): Fix | null {
  const initialDelay = h.initialDelaySeconds;
  const aim = { ...(h.port ? { port: h.port } : {}), ...(h.path ? { path: h.path } : {}) };
  if (h.wrongPath && !h.path) {
    return {
      command: `${c.plugin('fix probe', `${c.containerFlag()} --path PATH`)}  # PATH: the health path the app serves (its probe's path answers 404)`,
      kubectl: [`kubectl get ${c.ref} ${c.ns} -o jsonpath='{.spec.template.spec.containers[?(@.name=="${ctx.focus.name}")].livenessProbe}'`],
    };
  }
  const plan = planned(() => planProbe(c.w.asDeployment, { container: ctx.focus.name, ...aim, ...(initialDelay ? { initialDelay } : {}) }));
  if (!plan?.patch) return null;
  const flags = `${h.port ? ` --port ${h.port}` : ''}${h.path ? ` --path ${h.path}` : ''}${initialDelay ? ` --initial-delay ${initialDelay}` : ''}`;
  return { command: c.plugin('fix probe', `${c.containerFlag()}${flags}`), kubectl: [c.planned({ ...plan, patch: plan.patch })] };
}

/** The replacements run: the Failed/Evicted pods are only a record now, and keep status failing. */
function evictedFix(c: Commands, ctx: RuleContext): Fix | null {
  const dep = ctx.owner.deployment;
  if (!dep) return null;
  const p = planEvicted(dep, ctx.snapshot.pods, ctx.snapshot.replicaSets, { now: ctx.now, windowMs: DEFAULT_HEALTH_WINDOW_MS });
  if (!p.delete.length) return null;
  return { command: c.plugin('fix evicted'), kubectl: p.delete.map((d) => `kubectl delete pod ${d.name} ${c.ns}`) };
}

/** The registry host of an image reference, as `docker login` names it. */
function registryOf(image: string): string {
  const first = image.split('/')[0]!;
  return image.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'https://index.docker.io/v1/';
}

function imageFix(c: Commands, ctx: RuleContext, missingPullSecrets: string[]): Fix | null {
  const current = ctx.focus.spec.image ?? '';
  if (missingPullSecrets.length) {
    return {
      command: `# create the missing imagePullSecret${missingPullSecrets.length > 1 ? 's' : ''} (kubectl dhakacart does not create Secrets); the kubelet retries the pull on its own`,
      kubectl: missingPullSecrets.map((s) => `kubectl create secret docker-registry ${s} ${c.ns} --docker-server=${registryOf(current)} --docker-username=USER --docker-password=PASSWORD`),
    };
  }
  if (ctx.focus.init) return null;
  const prev = c.w.kind === 'deployment' ? previousImage(c.w.asDeployment, ctx.owner.history, ctx.focus.name, current) : null;
  const to = prev?.image ?? `${imageRepository(current)}:TAG`;
  c.changes = [{ path: `spec.template.spec.containers[${ctx.focus.name}].image`, from: current, to }];
  return {
    command: c.plugin('fix image', `${c.containerFlag()} --to ${to}`),
    kubectl: [`kubectl set image ${c.ref} ${ctx.focus.name}=${to} ${c.ns}`],
  };
}

function configFix(c: Commands, m: MissingReference): Fix {
  const kind = m.kind === 'Secret' ? 'secret' : 'configmap';
  const field = m.kind === 'Secret' ? 'stringData' : 'data';
  const create = m.kind === 'Secret' ? `kubectl create secret generic ${m.name}` : `kubectl create configmap ${m.name}`;
  return {
    command: `# ${m.key ? `add key ${m.key} to` : 'create'} ${m.kind} ${m.name} (kubectl dhakacart does not write Secrets or ConfigMaps); the kubelet retries on its own`,
    kubectl: [m.key
      ? `kubectl patch ${kind} ${m.name} ${c.ns} --type merge -p ${shq(JSON.stringify({ [field]: { [m.key]: 'VALUE' } }))}`
      : `${create} ${c.ns} --from-literal=KEY=VALUE`],
  };
}

/** A full PVC: grow it (no plugin command does); the claim's StorageClass must allow expansion. */
function diskFix(c: Commands, claims: { claim: string; size: string | null }[]): Fix | null {
  if (!claims.length) return null;
  return {
    command: `# kubectl dhakacart does not resize volumes: expand the PersistentVolumeClaim${claims.length > 1 ? 's' : ''} (check the current size first; the StorageClass must have allowVolumeExpansion)`,
    kubectl: claims.flatMap((cl) => [
      `kubectl get pvc ${cl.claim} ${c.ns}`,
      `kubectl patch pvc ${cl.claim} ${c.ns} -p ${shq(JSON.stringify({ spec: { resources: { requests: { storage: expandedSize(cl.size) ?? 'SIZE' } } } }))}`,
    ]),
  };
}

/** Whether a ReplicaSet's pod template needs the Secret/ConfigMap (and key) that is missing now. */
function templateReads(rs: ReplicaSet, m: MissingReference): boolean {
  const podLike = { metadata: { name: rs.metadata.name }, spec: rs.spec.template.spec } as Pod;
  return [...(rs.spec.template.spec.initContainers ?? []), ...rs.spec.template.spec.containers]
    .flatMap((ct) => containerReferences(podLike, ct))
    .some((r) => !r.optional && r.kind === m.kind && r.name === m.name && (m.key === null || r.key === m.key));
}

/** Where a rollback goes: the newest revision that ran healthy, else kubectl's previous one (null: no earlier revision). */
function rollbackAim(ctx: RuleContext): RollbackAim | null {
  const dep = ctx.owner.deployment;
  if (!dep) return null;
  return planned(() => healthyTarget(dep, ctx.snapshot.replicaSets, { pods: ctx.snapshot.pods, events: ctx.snapshot.events, now: ctx.now }));
}

/** kubectl's own previous revision is named plainly; another target is named with --to-revision, and why. */
function rollbackFix(c: Commands, aim: RollbackAim | null, ctx: RuleContext, note = ''): Fix | null {
  if (!aim) return null;
  const rev = revisionOf(aim.target);
  const previous = planned(() => rollbackTarget(ctx.owner.deployment!, ctx.snapshot.replicaSets, 0));
  const why = `  # ${note}${aim.reason}`;
  if (previous === aim.target) return { command: `${c.plugin('rollback')}${aim.knownHealthy && !note ? '' : why}`, kubectl: [`kubectl rollout undo ${c.ref} ${c.ns}`] };
  return { command: `${c.plugin('rollback', ` --to-revision ${rev}`)}${why}`, kubectl: [`kubectl rollout undo ${c.ref} ${c.ns} --to-revision=${rev}`] };
}

/** The fix each cause gets when no plan can be made: what a change-cause names when it was tried. */
const FIX_FOR: Partial<Record<Finding['cause'], string>> = { oom: 'fix oom', probe: 'fix probe', image: 'fix image', db: 'fix db' };
/** Flags that say how a change is run, not what it changes. */
const RUN_FLAGS = new Set(['yes', 'y', 'dry-run', 'wait', 'no-wait', 'timeout', 'settle', 'o', 'output', 'n', 'namespace', 'context', 'container', 'c', 'request-timeout', 'no-color', 'debug']);
const SWITCHES = new Set(['yes', 'y', 'dry-run', 'wait', 'no-wait', 'no-color', 'disable', 'debug']);

/** `kubectl dhakacart fix probe deployment/x --port=5000 --yes` → `fix probe` and `port=5000`: what the change was. */
export function ownCommand(command: string): { sub: string; flags: string } | null {
  const words = command.split(' #')[0]!.trim().split(/\s+/);
  if (words[0] !== 'kubectl' || words[1] !== 'dhakacart' || !words[2]) return null;
  const fix = words[2] === 'fix' && words[3];
  const sub = fix ? `fix ${words[3]}` : words[2];
  const flags: string[] = [];
  const rest = words.slice(fix ? 4 : 3);
  for (let i = 0; i < rest.length; i++) {
    const m = /^--?([\w-]+)(?:=(.*))?$/.exec(rest[i]!);
    if (!m) continue;
    const [, name, inline] = m as unknown as [string, string, string | undefined];
    const value = inline ?? (SWITCHES.has(name) || rest[i + 1]?.startsWith('-') ? 'true' : rest[++i] ?? 'true');
    if (!RUN_FLAGS.has(name)) flags.push(`${name}=${value}`);
  }
  return { sub, flags: flags.sort().join(' ') };
}

/**
 * The plugin's own change that made the pod's revision (the deployment controller copies the
 * change-cause onto the ReplicaSet it creates), when the fix proposed now is that same change:
 * it was applied and the pod still fails the same way.
 */
function sameFixFailed(ctx: RuleContext, f: Finding, fix: Fix | null): string | null {
  const cause = ctx.owner.replicaSet?.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '';
  const tried = ownCommand(cause);
  if (!tried || tried.sub === 'rollback') return null;
  const now = fix ? ownCommand(fix.command) : null;
  const same = now ? now.sub === tried.sub && now.flags === tried.flags : tried.sub === FIX_FOR[f.cause];
  return same ? cause : null;
}

/** After the fix that failed: go back to a revision that ran healthy, else say it did not help. */
function nextStep(c: Commands, ctx: RuleContext, f: Finding, tried: string): Fix {
  const rev = revisionOf(ctx.owner.replicaSet!) ?? '?';
  const said = `'${sanitizeLogLine(tried)}' made revision ${rev} and the pod still fails the same way (${f.cause}); not proposing it again. `;
  const aim = rollbackAim(ctx);
  const back = aim?.knownHealthy ? rollbackFix(c, aim, ctx, said) : null;
  return back ?? { command: `# ${said}No earlier revision is known to have run healthy: escalate with this diagnosis`, kubectl: [] };
}

/** For a Helm/Argo CD/Flux-managed Deployment the Next: line says the next sync undoes the patch, and what to change instead. */
function withManager(c: Commands, ctx: RuleContext, fix: Fix): Fix {
  const meta = ctx.owner.deployment?.metadata ?? ctx.owner.statefulSet?.metadata;
  const action = ownCommand(fix.command)?.sub ?? '';
  const m = meta ? managerOf(meta) : null;
  if (!m || fix.command.startsWith('#')) return fix;
  const durable = durableChange(m, ctx.namespace, valuesOf(c.changes), action);
  return { command: `${fix.command}  # managed by ${m.tool} (${m.name}): its next ${m.tool === 'Helm' ? 'upgrade' : 'sync'} undoes this; durable: ${durable}`, kubectl: fix.kubectl };
}

/**
 * The repair of the dependency path's first broken link when the chain names one (scale the
 * database back up, point the env at the Service that exists, align the credentials);
 * otherwise `fix db`, which re-checks the path and restarts only once that can help.
 */
function dbFix(c: Commands, checks: string[], repair: Fix | null): Fix {
  if (repair) return repair;
  return { command: c.plugin('fix db'), kubectl: [...checks, `kubectl rollout restart ${c.ref} ${c.ns}`] };
}

/**
 * The remedy for the verdict, as the plugin command and the plain kubectl it amounts to.
 * Placeholders (USER, PASSWORD, VALUE, TAG) stand where only a human knows the value.
 */
export function buildFix(ctx: RuleContext, f: Finding, change: ChangeInfo): Fix | null {
  const w = workloadOf(ctx);
  if (!w) return null;
  const c = new Commands(ctx, w);
  const fix = causeFix(c, ctx, f, change);
  const tried = sameFixFailed(ctx, f, fix);
  const next = tried ? nextStep(c, ctx, f, tried) : fix;
  return next && withManager(c, ctx, next);
}

function causeFix(c: Commands, ctx: RuleContext, f: Finding, change: ChangeInfo): Fix | null {
  const h = f.hint;
  switch (f.cause) {
    case 'oom': return oomFix(c, ctx);
    // Memory first: the request is what makes the kubelet pick this pod again; once nothing is left to change, clean up.
    case 'evicted': return (h?.kind === 'evicted' && h.resource === 'memory' ? evictedMemoryFix(c, ctx, h.usage) : null) ?? evictedFix(c, ctx);
    case 'probe': return h?.kind === 'probe' && h.liveness ? probeFix(c, ctx, h) : null;
    case 'image': return imageFix(c, ctx, h?.kind === 'image' ? h.missingPullSecrets : []);
    case 'db': return h?.kind === 'db' ? dbFix(c, h.checks, h.repair) : dbFix(c, [], null);
    case 'dependency': return h?.kind === 'dependency' ? h.repair : null;
    case 'config': {
      const missing = h?.kind === 'config' ? h.missing : null;
      // The revision a rollback returns to reads the same Secret/key: it would fail the same way.
      if (change.recent) {
        const aim = rollbackAim(ctx);
        if (aim && !(missing && templateReads(aim.target, missing))) return rollbackFix(c, aim, ctx);
      }
      return missing ? configFix(c, missing) : null;
    }
    case 'crash':
      if (h?.kind === 'disk') return diskFix(c, h.claims);
      return change.recent ? rollbackFix(c, rollbackAim(ctx), ctx) : null;
    // A rollout that asks for more than any node has (requests, selectors, affinity): go back.
    case 'unschedulable': return h?.kind === 'unschedulable' ? h.fix : change.recent ? rollbackFix(c, rollbackAim(ctx), ctx) : null;
  }
}
