// ReplicaSet controller: create or delete pods until an RS has spec.replicas of them, then
// keep its status counters. New pods are scheduled and "run" at once (see pods.ts).
/* eslint-disable @typescript-eslint/no-explicit-any */
import { randomUUID } from 'node:crypto';
import type { ControllerContext } from './index';
import { decide, eventObject, podIpOn, schedule, synthesize, type EventSpec } from './pods';
import { nowIso, randomSuffix, type KObj, type Store } from '../store';

export const RS = 'replicasets.apps';

export const controllerOf = (o: KObj) => (o.metadata.ownerReferences ?? []).find((r) => r.controller);
export const ownedBy = (o: KObj, owner: KObj) => controllerOf(o)?.uid === owner.metadata.uid;
export const podReady = (p: KObj) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
const active = (p: KObj) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase);

export function recordEvent(store: Store, obj: KObj, e: EventSpec, host?: string): void {
  store.create('events', eventObject(obj, e, host));
}

/** Pods an RS controls, deletable first (kubectl's ActivePods ranking): unscheduled, pending, not ready, more restarts, newer. */
function rankForDeletion(pods: KObj[]): KObj[] {
  const phaseRank = (p: KObj) => ({ Pending: 0, Unknown: 1, Running: 2 } as Record<string, number>)[p.status?.phase] ?? 0;
  const restarts = (p: KObj) => ((p.status?.containerStatuses ?? []) as any[]).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  return [...pods].sort((a, b) => (a.spec?.nodeName ? 1 : 0) - (b.spec?.nodeName ? 1 : 0)
    || phaseRank(a) - phaseRank(b)
    || (podReady(a) ? 1 : 0) - (podReady(b) ? 1 : 0)
    || restarts(b) - restarts(a)
    || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
}

export function deletePod(ctx: ControllerContext, p: KObj): void {
  const { store, settings } = ctx;
  store.delete('pods', p.metadata.namespace, p.metadata.name!);
  for (const c of (p.status?.containerStatuses ?? []) as any[]) {
    if (c.state?.running) recordEvent(store, p, { reason: 'Killing', type: 'Normal', fieldPath: `spec.containers{${c.name}}`, message: `Stopping container ${c.name}` }, p.spec?.nodeName);
  }
  for (const k of Object.keys(settings.logs)) if (k.startsWith(`${p.metadata.name}/`)) delete settings.logs[k];
}

/** A new pod of `rs`: scheduled, given an IP, and its fate decided and recorded. */
export function createPod(ctx: ControllerContext, rs: KObj): KObj {
  const { store, settings } = ctx;
  const ns = rs.metadata.namespace!;
  const t = rs.spec?.template ?? {};
  let name: string;
  do name = `${rs.metadata.name}-${randomSuffix(5)}`; while (store.get('pods', ns, name));
  const spec: any = structuredClone(t.spec ?? {});
  spec.serviceAccountName ??= 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.priority ??= 0;
  spec.restartPolicy ??= 'Always';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.tolerations ??= [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!spec.tolerations.some((x: any) => x.key === key)) spec.tolerations.push({ effect: 'NoExecute', key, operator: 'Exists', tolerationSeconds: 300 });
  }
  const pod: KObj = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, generateName: `${rs.metadata.name}-`, namespace: ns, uid: randomUUID(), creationTimestamp: nowIso(),
      labels: { ...(t.metadata?.labels ?? {}) }, ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec,
    status: {},
  };
  const placement = schedule(store, pod, rs.metadata.uid!);
  const d = placement.node ? decide(store, settings, pod) : { outcome: 'unschedulable' as const, container: null };
  if (placement.node) {
    spec.nodeName = placement.node.metadata.name;
    pod.status.podIP = podIpOn(store, placement.node);
  }
  const syn = synthesize(store, pod, d, placement);
  pod.status = syn.status;
  const created = store.create('pods', pod);
  recordEvent(store, rs, { reason: 'SuccessfulCreate', type: 'Normal', component: 'replicaset-controller', message: `Created pod: ${name}` });
  for (const e of syn.events) recordEvent(store, created, e, spec.nodeName);
  Object.assign(settings.logs, syn.logs);
  return created;
}

function statusOf(rs: KObj, pods: KObj[]): any {
  const labels = rs.spec?.template?.metadata?.labels ?? {};
  const st: any = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) => Object.entries(labels).every(([k, v]) => p.metadata.labels?.[k] === v)).length,
    readyReplicas: pods.filter(podReady).length,
    availableReplicas: pods.filter(podReady).length,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  for (const k of Object.keys(st)) if (st[k] === 0 && k !== 'replicas') delete st[k];
  if (rs.status?.conditions?.length) st.conditions = rs.status.conditions;
  return st;
}

/** Counters compared with Go's omitempty in mind: missing = 0. */
export function sameCounters(a: any, b: any, keys: string[]): boolean {
  return keys.every((k) => (a?.[k] ?? 0) === (b?.[k] ?? 0));
}
const RS_KEYS = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'];

/** One RS to its replica count; true when something changed. */
export function syncReplicaSet(ctx: ControllerContext, rs: KObj): boolean {
  const { store } = ctx;
  if (rs.metadata.deletionTimestamp) return false;
  const ns = rs.metadata.namespace!;
  let changed = false;
  const pods = () => store.list('pods', ns).filter((p) => ownedBy(p, rs) && active(p));
  const want = rs.spec?.replicas ?? 1;
  let have = pods();
  if (have.length < want) {
    for (let i = have.length; i < want; i++) createPod(ctx, rs);
    changed = true;
  } else if (have.length > want) {
    for (const p of rankForDeletion(have).slice(0, have.length - want)) {
      deletePod(ctx, p);
      recordEvent(store, rs, { reason: 'SuccessfulDelete', type: 'Normal', component: 'replicaset-controller', message: `Deleted pod: ${p.metadata.name}` });
    }
    changed = true;
  }
  have = changed ? pods() : have;
  const cur = store.get(RS, ns, rs.metadata.name!)!;
  const st = statusOf(cur, have);
  if (!sameCounters(cur.status, st, RS_KEYS)) {
    store.update(RS, { ...cur, status: st });
    changed = true;
  }
  return changed;
}
