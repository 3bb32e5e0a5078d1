// Deployment controller (kube-controller-manager's, simplified but faithful where kubectl
// can tell): the ReplicaSet whose template equals the Deployment's is the new one (found and
// re-stamped with revision max+1 and a revision-history, as after `kubectl rollout undo`, or
// created as <deployment>-<hash>); a rolling update with maxSurge/maxUnavailable that
// scales old ReplicaSets down only as new pods become available, so a failing rollout
// stalls with the old pods serving; Recreate; status counters and the Available /
// Progressing conditions; revisionHistoryLimit. Pods are made by the ReplicaSet controller
// (replicaset.ts) in the same pass, so everything settles before the API call returns.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { ControllerContext } from './index';
import { RS, ownedBy, recordEvent, sameCounters, syncReplicaSet } from './replicaset';
import { parseQuantity } from '../quantity';
import { nowIso, type KObj, type Store } from '../store';

const DEP = 'deployments.apps';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const DESIRED = 'deployment.kubernetes.io/desired-replicas';
const MAX = 'deployment.kubernetes.io/max-replicas';
const HASH = 'pod-template-hash';
/** Deployment annotations not copied to ReplicaSets (and kept by `rollout undo`). */
export const SKIP_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED, MAX, 'deprecated.deployment.rollback.to']);

// ---- templates -----------------------------------------------------------------------
/** apimachinery Semantic.DeepEqual's view: nil ≡ empty, quantities by value. */
function normalize(v: unknown, underResources = false): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) { const xs = v.map((x) => normalize(x) ?? null); return xs.length ? xs : undefined; }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      const n = underResources && typeof x === 'string' && parseQuantity(x) !== undefined ? parseQuantity(x) : normalize(x, k === 'limits' || k === 'requests');
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}
const withoutHash = (t: any) => { const c = structuredClone(t ?? {}); if (c.metadata?.labels) delete c.metadata.labels[HASH]; return c; };
export const templatesEqual = (a: any, b: any) => JSON.stringify(normalize(withoutHash(a))) === JSON.stringify(normalize(withoutHash(b)));

/** ComputeHash: fnv32a of the template (and collision count), as rand.SafeEncodeString of its decimal form. */
export function templateHash(t: any, collisionCount = 0): string {
  let h = 0x811c9dc5;
  const text = JSON.stringify(normalize(withoutHash(t))) + (collisionCount ? String(collisionCount) : '');
  for (const b of Buffer.from(text)) { h ^= b; h = Math.imul(h, 0x01000193) >>> 0; }
  const alnum = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(h >>> 0)].map((ch) => alnum[ch.charCodeAt(0) % alnum.length]).join('');
}

// ---- numbers -------------------------------------------------------------------------
const replicasOf = (o: KObj) => o.spec?.replicas ?? 1;
const availableOf = (rs: KObj) => rs.status?.availableReplicas ?? 0;
const revisionOf = (rs: KObj) => { const n = Number.parseInt(rs.metadata.annotations?.[REVISION] ?? '0', 10); return Number.isNaN(n) ? 0 : n; };
function intOrPercent(v: unknown, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.endsWith('%')) { const x = (Number.parseInt(v, 10) * total) / 100; return roundUp ? Math.ceil(x) : Math.floor(x); }
  if (typeof v === 'string') return Number.parseInt(v, 10) || 0;
  return roundUp ? Math.ceil(total / 4) : Math.floor(total / 4);
}
/** MaxSurge and MaxUnavailable as the controller resolves them (both 0 → unavailable 1). */
function surgeAndUnavailable(dep: KObj): { surge: number; unavailable: number } {
  const want = replicasOf(dep);
  if (dep.spec?.strategy?.type === 'Recreate') return { surge: 0, unavailable: want };
  const ru = dep.spec?.strategy?.rollingUpdate ?? {};
  const surge = intOrPercent(ru.maxSurge ?? '25%', want, true);
  let unavailable = intOrPercent(ru.maxUnavailable ?? '25%', want, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, want) };
}

// ---- writes --------------------------------------------------------------------------
function scaleRs(ctx: ControllerContext, dep: KObj, rs: KObj, to: number): void {
  const cur = ctx.store.get(RS, rs.metadata.namespace, rs.metadata.name!)!;
  const from = replicasOf(cur);
  const { surge } = surgeAndUnavailable(dep);
  const ann = { ...(cur.metadata.annotations ?? {}), [DESIRED]: String(replicasOf(dep)), [MAX]: String(replicasOf(dep) + surge) };
  ctx.store.update(RS, { ...cur, metadata: { ...cur.metadata, annotations: ann }, spec: { ...cur.spec, replicas: to } });
  if (from !== to) {
    recordEvent(ctx.store, dep, { reason: 'ScalingReplicaSet', type: 'Normal', component: 'deployment-controller',
      message: `Scaled ${to > from ? 'up' : 'down'} replica set ${cur.metadata.name} from ${from} to ${to}` });
  }
}

function ownedReplicaSets(store: Store, dep: KObj): KObj[] {
  return store.list(RS, dep.metadata.namespace).filter((rs) => ownedBy(rs, dep) && !rs.metadata.deletionTimestamp)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name!.localeCompare(b.metadata.name!));
}

/** SetNewReplicaSetAnnotations: Deployment annotations copied, revision re-stamped with history. */
function newRsAnnotations(dep: KObj, rs: KObj, newRevision: number): Record<string, string> {
  const ann: Record<string, string> = { ...(rs.metadata.annotations ?? {}) };
  for (const [k, v] of Object.entries<string>(dep.metadata.annotations ?? {})) if (!SKIP_ANNOTATIONS.has(k)) ann[k] = v;
  const had = rs.metadata.annotations?.[REVISION];
  const old = revisionOf(rs);
  if (old < newRevision) {
    ann[REVISION] = String(newRevision);
    if (had !== undefined) ann[REVISION_HISTORY] = ann[REVISION_HISTORY] ? `${ann[REVISION_HISTORY]},${had}` : had;
  }
  return ann;
}

interface Memo { before: any; created?: string; found?: string }

/** One step of the rollout for one Deployment; true when it changed something. */
function stepDeployment(ctx: ControllerContext, depName: { ns: string; name: string }, memo: Memo): boolean {
  const { store } = ctx;
  const dep = store.get(DEP, depName.ns, depName.name);
  if (!dep || dep.metadata.deletionTimestamp) return false;
  const all = ownedReplicaSets(store, dep);
  let newRs = all.find((rs) => templatesEqual(rs.spec?.template, dep.spec?.template));
  const olds = all.filter((rs) => rs !== newRs);
  const maxOld = olds.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
  const desired = replicasOf(dep);
  const { surge, unavailable } = surgeAndUnavailable(dep);

  if (!newRs) {
    if (dep.spec?.paused) return false;
    let collision = dep.status?.collisionCount ?? 0;
    let hash = templateHash(dep.spec.template, collision);
    while (store.get(RS, dep.metadata.namespace, `${dep.metadata.name}-${hash}`)) hash = templateHash(dep.spec.template, ++collision);
    if (collision !== (dep.status?.collisionCount ?? 0)) store.update(DEP, { ...dep, status: { ...(dep.status ?? {}), collisionCount: collision } });
    const template = structuredClone(dep.spec.template);
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [HASH]: hash };
    const total = all.reduce((n, rs) => n + replicasOf(rs), 0);
    const initial = dep.spec?.strategy?.type === 'Recreate' ? 0 : Math.max(0, Math.min(desired, desired + surge - total));
    const rs: KObj = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: {
        name: `${dep.metadata.name}-${hash}`, namespace: dep.metadata.namespace, labels: { ...template.metadata.labels },
        annotations: { ...newRsAnnotations(dep, { metadata: {} }, maxOld + 1), [DESIRED]: String(desired), [MAX]: String(desired + surge) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: dep.metadata.name!, uid: dep.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        replicas: initial, ...(dep.spec.minReadySeconds ? { minReadySeconds: dep.spec.minReadySeconds } : {}),
        selector: { ...(dep.spec.selector ?? {}), matchLabels: { ...(dep.spec.selector?.matchLabels ?? {}), [HASH]: hash } },
        template,
      },
      status: { replicas: 0 },
    };
    store.create(RS, rs);
    memo.created = rs.metadata.name;
    if (initial > 0) recordEvent(store, dep, { reason: 'ScalingReplicaSet', type: 'Normal', component: 'deployment-controller', message: `Scaled up replica set ${rs.metadata.name} from 0 to ${initial}` });
    return true;
  }

  let changed = false;
  // The new RS carries the Deployment's annotations and the newest revision.
  const ann = newRsAnnotations(dep, newRs, maxOld + 1);
  if (JSON.stringify(ann) !== JSON.stringify(newRs.metadata.annotations ?? {})) {
    if (revisionOf(newRs) < maxOld + 1 && newRs.metadata.annotations?.[REVISION] !== undefined && !memo.created) memo.found = newRs.metadata.name;
    newRs = store.update(RS, { ...newRs, metadata: { ...newRs.metadata, annotations: ann } });
    changed = true;
  }
  const rev = newRs.metadata.annotations?.[REVISION];
  if (rev !== undefined && dep.metadata.annotations?.[REVISION] !== rev) {
    store.update(DEP, { ...dep, metadata: { ...dep.metadata, annotations: { ...(dep.metadata.annotations ?? {}), [REVISION]: rev } } });
    changed = true;
  }
  if (dep.spec?.paused) return changed;

  const activeOld = olds.filter((rs) => replicasOf(rs) > 0);
  if (dep.spec?.strategy?.type === 'Recreate') {
    if (activeOld.length) { for (const rs of activeOld) scaleRs(ctx, dep, rs, 0); return true; }
    if (store.list('pods', dep.metadata.namespace).some((p) => olds.some((rs) => ownedBy(p, rs)))) return changed;
    if (replicasOf(newRs) !== desired) { scaleRs(ctx, dep, newRs, desired); return true; }
    return changed;
  }

  // reconcileNewReplicaSet
  const cur = replicasOf(newRs);
  if (cur > desired) { scaleRs(ctx, dep, newRs, desired); return true; }
  if (cur < desired) {
    const total = all.reduce((n, rs) => n + replicasOf(rs), 0);
    const up = Math.min(desired + surge - total, desired - cur);
    if (up > 0) { scaleRs(ctx, dep, newRs, cur + up); return true; }
  }
  // reconcileOldReplicaSets
  if (!activeOld.length) return changed;
  const allPods = all.reduce((n, rs) => n + replicasOf(rs), 0);
  const minAvailable = desired - unavailable;
  const newUnavailable = replicasOf(newRs) - availableOf(newRs);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return changed;
  // cleanupUnhealthyReplicas: old pods that are not available go first.
  let cleaned = 0;
  const spec = new Map(activeOld.map((rs) => [rs.metadata.name!, replicasOf(rs)]));
  for (const rs of activeOld) {
    if (cleaned >= maxScaledDown) break;
    const n = spec.get(rs.metadata.name!)!;
    const down = Math.min(maxScaledDown - cleaned, n - availableOf(rs));
    if (down <= 0) continue;
    spec.set(rs.metadata.name!, n - down);
    cleaned += down;
  }
  // scaleDownOldReplicaSetsForRollingUpdate
  const availableTotal = all.reduce((n, rs) => n + availableOf(rs), 0);
  let budget = Math.max(0, availableTotal - minAvailable);
  for (const rs of activeOld) {
    if (budget <= 0) break;
    const n = spec.get(rs.metadata.name!)!;
    const down = Math.min(n, budget);
    if (down <= 0) continue;
    spec.set(rs.metadata.name!, n - down);
    budget -= down;
  }
  for (const rs of activeOld) {
    const to = spec.get(rs.metadata.name!)!;
    if (to !== replicasOf(rs)) { scaleRs(ctx, dep, rs, to); changed = true; }
  }
  return changed;
}

// ---- status --------------------------------------------------------------------------
const STATUS_KEYS = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'];

function setCondition(conds: any[], type: string, status: boolean, reason: string, message: string, now: string): any[] {
  const s = status ? 'True' : 'False';
  const i = conds.findIndex((c) => c.type === type);
  const old = i >= 0 ? conds[i] : undefined;
  if (old && old.status === s && old.reason === reason && old.message === message) return conds;
  const c = { type, status: s, lastUpdateTime: now, lastTransitionTime: old && old.status === s ? old.lastTransitionTime : now, reason, message };
  const out = [...conds];
  if (i >= 0) out[i] = c; else out.push(c);
  return out.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
}

function syncStatus(ctx: ControllerContext, depName: { ns: string; name: string }, memo: Memo): boolean {
  const { store } = ctx;
  const dep = store.get(DEP, depName.ns, depName.name);
  if (!dep) return false;
  const all = ownedReplicaSets(store, dep);
  const newRs = all.find((rs) => templatesEqual(rs.spec?.template, dep.spec?.template));
  const sum = (xs: KObj[], f: (rs: KObj) => number) => xs.reduce((n, rs) => n + f(rs), 0);
  const desired = replicasOf(dep);
  const available = sum(all, availableOf);
  const st: any = {
    observedGeneration: dep.metadata.generation ?? 1,
    replicas: sum(all, (rs) => rs.status?.replicas ?? 0),
    updatedReplicas: newRs ? newRs.status?.replicas ?? 0 : 0,
    readyReplicas: sum(all, (rs) => rs.status?.readyReplicas ?? 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(all, replicasOf) - available),
    collisionCount: dep.status?.collisionCount,
  };
  for (const k of Object.keys(st)) if (!st[k]) delete st[k];
  const now = nowIso();
  const { unavailable } = surgeAndUnavailable(dep);
  let conds: any[] = [...(dep.status?.conditions ?? [])];
  conds = available >= desired - unavailable
    ? setCondition(conds, 'Available', true, 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now)
    : setCondition(conds, 'Available', false, 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now);
  // Progress is measured from before this pass; a ReplicaSet that became the new one in it starts from 0 updated.
  const before = memo.created || memo.found ? { ...(memo.before ?? {}), updatedReplicas: 0 } : memo.before ?? {};
  const complete = (st.updatedReplicas ?? 0) === desired && (st.replicas ?? 0) === desired && (st.availableReplicas ?? 0) === desired;
  const progressed = (st.updatedReplicas ?? 0) > (before.updatedReplicas ?? 0) || (st.readyReplicas ?? 0) > (before.readyReplicas ?? 0)
    || (st.availableReplicas ?? 0) > (before.availableReplicas ?? 0) || (st.replicas ?? 0) < (before.replicas ?? 0);
  if (dep.spec?.paused) conds = setCondition(conds, 'Progressing', false, 'DeploymentPaused', 'Deployment is paused', now);
  else if (newRs && complete) conds = setCondition(conds, 'Progressing', true, 'NewReplicaSetAvailable', `ReplicaSet "${newRs.metadata.name}" has successfully progressed.`, now);
  else if (newRs && progressed) conds = setCondition(conds, 'Progressing', true, 'ReplicaSetUpdated', `ReplicaSet "${newRs.metadata.name}" is progressing.`, now);
  else if (newRs && memo.created === newRs.metadata.name) conds = setCondition(conds, 'Progressing', true, 'NewReplicaSetCreated', `Created new replica set "${newRs.metadata.name}"`, now);
  else if (newRs && memo.found === newRs.metadata.name) conds = setCondition(conds, 'Progressing', true, 'FoundNewReplicaSet', `Found new replica set "${newRs.metadata.name}"`, now);
  if (conds.length) st.conditions = conds;
  if (sameCounters(dep.status, st, STATUS_KEYS) && JSON.stringify(dep.status?.conditions ?? []) === JSON.stringify(conds)) return false;
  store.update(DEP, { ...dep, status: st });
  return true;
}

/** revisionHistoryLimit: old ReplicaSets scaled to zero beyond the limit are deleted, oldest revision first. */
function cleanupHistory(ctx: ControllerContext, depName: { ns: string; name: string }): boolean {
  const { store } = ctx;
  const dep = store.get(DEP, depName.ns, depName.name);
  if (!dep) return false;
  const limit = dep.spec?.revisionHistoryLimit ?? 10;
  const all = ownedReplicaSets(store, dep);
  const dead = all.filter((rs) => !templatesEqual(rs.spec?.template, dep.spec?.template) && replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  if (dead.length <= limit) return false;
  for (const rs of dead.slice(0, dead.length - limit)) store.delete(RS, rs.metadata.namespace, rs.metadata.name!);
  return true;
}

const MAX_STEPS = 50;

export function deploymentController(ctx: ControllerContext): boolean {
  const { store } = ctx;
  const deps = store.list(DEP).map((d) => ({ ns: d.metadata.namespace!, name: d.metadata.name! }));
  const memos = new Map(store.list(DEP).map((d) => [`${d.metadata.namespace}/${d.metadata.name}`, { before: d.status } as Memo]));
  let changed = false;
  for (let i = 0; i < MAX_STEPS; i++) {
    let c = false;
    for (const d of deps) c = stepDeployment(ctx, d, memos.get(`${d.ns}/${d.name}`)!) || c;
    for (const rs of store.list(RS)) c = syncReplicaSet(ctx, rs) || c;
    if (!c) break;
    changed = true;
  }
  for (const d of deps) {
    changed = syncStatus(ctx, d, memos.get(`${d.ns}/${d.name}`)!) || changed;
    changed = cleanupHistory(ctx, d) || changed;
  }
  return changed;
}


