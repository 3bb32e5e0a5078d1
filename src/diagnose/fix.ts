import { CliError } from '../errors';
import { formatBytes, parseQuantity } from '../kube/quantity';
import type { Deployment, Pod, ReplicaSet } from '../kube/types';
import { previousImage, imageRepository } from '../remedy/image';
import { planOom } from '../remedy/oom';
import type { Patch } from '../remedy/plan';
import { planProbe } from '../remedy/probe';
import type { ChangeInfo } from './change';
import type { RuleContext } from './context';
import type { Fix } from './diagnosis';
import type { Finding, MissingReference } from './finding';
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
  return { command: c.plugin('fix oom', `${c.containerFlag()}${limit ? ` --memory ${limit}` : ''}`), kubectl: [c.patch(plan.patch)] };
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
  return { command: c.plugin('fix oom', `${c.containerFlag()} --memory ${memory} --memory-request ${formatBytes(request)}`), kubectl: [c.patch(plan.patch)] };
}

function probeFix(c: Commands, ctx: RuleContext, initialDelay: number | null): Fix | null {
  const plan = planned(() => planProbe(c.w.asDeployment, { container: ctx.focus.name, ...(initialDelay ? { initialDelay } : {}) }));
  if (!plan?.patch) return null;
  return { command: c.plugin('fix probe', `${c.containerFlag()}${initialDelay ? ` --initial-delay ${initialDelay}` : ''}`), kubectl: [c.patch(plan.patch)] };
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

const rollbackFix = (c: Commands): Fix => ({ command: c.plugin('rollback'), kubectl: [`kubectl rollout undo ${c.ref} ${c.ns}`] });

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
  const h = f.hint;
  switch (f.cause) {
    case 'oom': return oomFix(c, ctx);
    case 'evicted': return h?.kind === 'evicted' && h.resource === 'memory' ? evictedMemoryFix(c, ctx, h.usage) : null;
    case 'probe': return h?.kind === 'probe' && h.liveness ? probeFix(c, ctx, h.initialDelaySeconds) : null;
    case 'image': return imageFix(c, ctx, h?.kind === 'image' ? h.missingPullSecrets : []);
    case 'db': return h?.kind === 'db' ? dbFix(c, h.checks, h.repair) : dbFix(c, [], null);
    case 'dependency': return h?.kind === 'dependency' ? h.repair : null;
    case 'config': {
      const missing = h?.kind === 'config' ? h.missing : null;
      // The revision a rollback returns to reads the same Secret/key: it would fail the same way.
      if (change.recent && !(missing && change.previous && templateReads(change.previous, missing))) return rollbackFix(c);
      return missing ? configFix(c, missing) : null;
    }
    case 'crash':
      if (h?.kind === 'disk') return diskFix(c, h.claims);
      return change.recent ? rollbackFix(c) : null;
    // A rollout that asks for more than any node has (requests, selectors, affinity): go back.
    case 'unschedulable': return h?.kind === 'unschedulable' ? h.fix : change.recent ? rollbackFix(c) : null;
  }
}
