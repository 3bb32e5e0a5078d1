import { selectorMatches, selectorToString } from '../kube/selector';
import type { PodDisruptionBudget } from '../kube/types';
import { kubectlBeside, verdict } from './fix';
import type { CheckContext, Rule, Verdict } from './types';

/** An int-or-percent of `total`, rounded up as the disruption controller does. */
function scaled(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(v);
}

/** Voluntary disruptions the budget allows with `replicas` healthy pods. */
export function allowedDisruptions(pdb: PodDisruptionBudget, replicas: number): number {
  const s = pdb.spec ?? {};
  if (s.maxUnavailable !== undefined) return scaled(s.maxUnavailable, replicas);
  if (s.minAvailable !== undefined) return replicas - scaled(s.minAvailable, replicas);
  return 0;
}

function judge(ctx: CheckContext, pdb: PodDisruptionBudget, where: string): Verdict {
  const w = ctx.workload;
  const allowed = allowedDisruptions(pdb, w.replicas);
  const spec = pdb.spec?.maxUnavailable !== undefined ? `maxUnavailable ${pdb.spec.maxUnavailable}` : `minAvailable ${pdb.spec?.minAvailable}`;
  if (allowed <= 0) {
    return verdict('warn', `PodDisruptionBudget ${pdb.metadata.name} (${where}, ${spec}) allows no disruption of ${w.replicas} replica${w.replicas === 1 ? '' : 's'}: node drains hang`,
      `kubectl patch poddisruptionbudget ${pdb.metadata.name} -n ${w.namespace} --type=merge -p '{"spec":{"minAvailable":null,"maxUnavailable":1}}'`);
  }
  return verdict('pass', `PodDisruptionBudget ${pdb.metadata.name} (${where}, ${spec})`);
}

function check(ctx: CheckContext): Verdict {
  const w = ctx.workload;
  const labels = w.template.metadata?.labels;
  const covers = (p: PodDisruptionBudget) => !!p.spec?.selector && (p.metadata.namespace ?? w.namespace) === w.namespace && selectorMatches(p.spec.selector, labels);
  const inFiles = ctx.pdbs.files.find(covers);
  if (inFiles) return judge(ctx, inFiles, 'in the files');
  const c = ctx.pdbs.cluster;
  if (c.state === 'read') {
    const live = c.value.find(covers);
    if (live) return judge(ctx, live, 'in the cluster');
  }
  if (c.state === 'unreadable') return verdict('warn', `no PodDisruptionBudget in the files; those in the cluster are not readable: ${c.reason}`);
  return verdict('fail', `no PodDisruptionBudget selects the pods (${selectorToString(w.selector)}): a node drain may evict every replica at once`,
    kubectlBeside(w, ['kubectl', 'create', 'poddisruptionbudget', w.name, `--selector=${selectorToString(w.selector)}`, '--max-unavailable=1']));
}

export const disruptionBudget: Rule = { id: 'disruption-budget', title: 'A PodDisruptionBudget covers the pods', check };
