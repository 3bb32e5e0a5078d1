import { gatherHistory } from '../../cluster/history';
import type { Io } from '../../io';
import { CHANGE_CAUSE_ANNOTATION, revisionOf } from '../../kube/deployment';
import { humanDuration } from '../../kube/duration';
import { ownedReplicaSets } from '../../kube/template';
import type { Deployment, ReplicaSet } from '../../kube/types';
import type { GlobalOptions } from '../../options';
import { planRollback, revisionOutcomes, type RunRecord } from '../../remedy/rollback';
import { renderTable } from '../../render/table';
import { commandLine } from '../../change/cause';
import { changeSettings } from '../../change/options';
import type { ChangeReport } from '../../change/result';
import { runChange } from '../../change/runChange';
import type { Outcome } from '../types';
import type { RollbackArgs } from './index';

/** `kubectl rollout history` with the image, age and what is known of each revision's run: what a rollback chooses from. */
function historyTable(dep: Deployment, rs: ReplicaSet[], record: RunRecord): string {
  const current = revisionOf(dep);
  const outcomes = new Map(revisionOutcomes(dep, rs, record).map((o) => [o.revision, o]));
  const rows = ownedReplicaSets(dep, rs)
    .map((r) => ({ r, rev: revisionOf(r) ?? 0 }))
    .sort((a, b) => a.rev - b.rev)
    .map(({ r, rev }) => [
      `${rev}${rev === current ? ' (current)' : ''}`,
      r.spec.template.spec.containers.map((c) => c.image).join(','),
      r.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '<none>',
      r.metadata.creationTimestamp ? humanDuration(record.now - Date.parse(r.metadata.creationTimestamp)) : '',
      outcomes.get(rev)?.outcome ?? 'unknown',
    ]);
  return rows.length ? renderTable(['REVISION', 'IMAGE', 'CHANGE-CAUSE', 'AGE', 'RAN'], rows) : 'No rollout history found.\n';
}

export async function runRollback(g: GlobalOptions, a: RollbackArgs, io: Io): Promise<Outcome<ChangeReport>> {
  const rev = a['to-revision'];
  return runChange(g, changeSettings(a), io, {
    target: a.deployment,
    cause: commandLine(),
    gather: async (api) => {
      const h = await gatherHistory(api, g.namespace);
      return { replicaSets: h.replicaSets, record: { pods: h.pods, events: h.events, now: io.now() } };
    },
    preface: (dep, h) => `History of deployment/${dep.metadata.name}:\n${historyTable(dep, h.replicaSets, h.record)}\n`,
    // --to-revision N is kubectl's; without it, the newest revision that ran healthy.
    plan: (dep, h) => planRollback(dep, h.replicaSets, rev, rev === 0 ? h.record : undefined),
  });
}
