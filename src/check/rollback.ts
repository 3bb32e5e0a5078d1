import { patchOn, verdict } from './fix';
import type { CheckContext, Rule, Verdict } from './types';

const REVISION = 'deployment.kubernetes.io/revision';

/** Earlier revisions a Deployment keeps: its ReplicaSets (owned by it) other than the current one. */
function earlier(ctx: CheckContext, liveRevision: number | null, uid: string | null): number[] {
  if (ctx.history.state !== 'read') return [];
  return ctx.history.value.replicaSets
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && (uid ? o.uid === uid : o.name === ctx.workload.name)))
    .map((rs) => Number(rs.metadata.annotations?.[REVISION]))
    .filter((n) => Number.isInteger(n) && n !== liveRevision)
    .sort((a, b) => b - a);
}

function check(ctx: CheckContext): Verdict {
  const w = ctx.workload;
  if (w.revisionHistoryLimit <= 0) {
    return verdict('fail', `revisionHistoryLimit is ${w.revisionHistoryLimit}: no earlier revision is kept, so there is nothing to roll back to`,
      patchOn(w, { spec: { revisionHistoryLimit: 10 } }));
  }
  if (w.kind === 'StatefulSet') return verdict('pass', `revisionHistoryLimit ${w.revisionHistoryLimit} (a StatefulSet's ControllerRevisions are not read)`);
  const h = ctx.history;
  if (h.state === 'unreadable') return verdict('warn', `rollout history not read: ReplicaSets ${h.reason}`);
  if (h.state === 'not served') return verdict('warn', 'rollout history not read: ReplicaSets are not served');
  if (w.file) {
    // Applying the manifest makes the live revision the previous one.
    return h.value.liveRevision !== null
      ? verdict('pass', `revisionHistoryLimit ${w.revisionHistoryLimit}; after the apply, live revision ${h.value.liveRevision} is the one to roll back to`)
      : verdict('warn', `deployment/${w.name} is not in the cluster: its first rollout has nothing to roll back to`);
  }
  const prev = earlier(ctx, w.revision, w.uid);
  if (!prev.length) {
    return verdict('warn', `only revision ${w.revision ?? '?'} exists: kubectl rollout undo has nothing to go back to until the next rollout`);
  }
  return verdict('pass', `revisionHistoryLimit ${w.revisionHistoryLimit}; revision ${prev[0]} to roll back to`);
}

export const rollback: Rule = { id: 'rollback', title: 'Rollback possible', check };
