import { paths } from '../../cluster/api';
import { usageError } from '../../errors';
import type { Io } from '../../io';
import { CHANGE_CAUSE_ANNOTATION, revisionOf } from '../../kube/deployment';
import { humanDuration } from '../../kube/duration';
import { ownedReplicaSets } from '../../kube/template';
import type { Deployment, ReplicaSet } from '../../kube/types';
import type { GlobalOptions } from '../../options';
import { planRollback } from '../../remedy/rollback';
import { isStructured } from '../../render/structured';
import { renderTable } from '../../render/table';
import { commandLine } from '../change/cause';
import { changeSettings } from '../change/options';
import { runChange } from '../change/run';
import type { RollbackArgs } from './index';

/** `kubectl rollout history` with the image and age added: what a rollback chooses from. */
export function historyTable(dep: Deployment, rs: ReplicaSet[], now: number): string {
  const current = revisionOf(dep);
  const rows = ownedReplicaSets(dep, rs)
    .map((r) => ({ r, rev: revisionOf(r) ?? 0 }))
    .sort((a, b) => a.rev - b.rev)
    .map(({ r, rev }) => [
      `${rev}${rev === current ? ' (current)' : ''}`,
      r.spec.template.spec.containers.map((c) => c.image).join(','),
      r.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '<none>',
      r.metadata.creationTimestamp ? humanDuration(now - Date.parse(r.metadata.creationTimestamp)) : '',
    ]);
  return rows.length ? renderTable(['REVISION', 'IMAGE', 'CHANGE-CAUSE', 'AGE'], rows) : 'No rollout history found.\n';
}

export async function runRollback(g: GlobalOptions, a: RollbackArgs, io: Io): Promise<number> {
  const rev = a['to-revision'];
  if (!Number.isInteger(rev) || rev < 0) throw usageError(`revision must be a positive integer: ${rev}`);
  return runChange(g, changeSettings(a), io, {
    target: a.deployment,
    cause: commandLine(),
    // The history is shown once, before the plan; a replan after a conflict does not repeat it.
    precheck: async (api, dep) => {
      const rs = (await api.list<ReplicaSet>(paths.replicasets(g.namespace))).items;
      (isStructured(g.output) ? io.err : io.out)(`History of deployment/${dep.metadata.name}:\n${historyTable(dep, rs, io.now())}\n`);
      return [];
    },
    plan: async (api, dep) => planRollback(dep, (await api.list<ReplicaSet>(paths.replicasets(g.namespace))).items, rev),
  });
}
