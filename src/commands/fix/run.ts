import { gatherImageHistory, gatherNodes } from '../../cluster/gatherFix';
import { deletePods, gatherHistory } from '../../cluster/history';
import { getDeployment } from '../../cluster/target';
import { commandLine } from '../../change/cause';
import { changeSettings } from '../../change/options';
import type { ChangeReport } from '../../change/result';
import { runChange } from '../../change/runChange';
import { usageError } from '../../errors';
import type { Io } from '../../io';
import { DEFAULT_HEALTH_WINDOW_MS } from '../../kube/podState';
import type { GlobalOptions } from '../../options';
import { planEvicted, type PodDeletion } from '../../remedy/evicted';
import { planImage } from '../../remedy/image';
import { planOom } from '../../remedy/oom';
import type { Plan } from '../../remedy/plan';
import { planProbe } from '../../remedy/probe';
import { planRestart } from '../../remedy/restart';
import type { Outcome } from '../types';
import { waitForDatabase } from './db';
import { FIX_KINDS, FIX_OPTIONS, type FixArgs, type FixKind } from './index';

/** Options given for another kind of fix are refused rather than silently ignored. */
function checkOptions(kind: FixKind, a: FixArgs): void {
  const foreign = FIX_KINDS.filter((k) => k !== kind)
    .flatMap((k) => FIX_OPTIONS[k])
    .filter((o) => !FIX_OPTIONS[kind].includes(o) && a[o] !== undefined);
  if (foreign.length) throw usageError(`fix ${kind} does not take ${[...new Set(foreign)].map((o) => `--${o}`).join(', ')}`, `see kubectl dhakacart fix --help`);
}

export async function runFix(g: GlobalOptions, a: FixArgs, io: Io): Promise<Outcome<ChangeReport>> {
  checkOptions(a.kind, a);
  const s = changeSettings(a);
  const ns = g.namespace;
  const shared = { target: a.target, cause: commandLine() };
  switch (a.kind) {
    case 'oom': return runChange(g, s, io, { ...shared, gather: gatherNodes, plan: (dep, nodes) => planOom(dep, nodes, { memory: a.memory, memoryRequest: a['memory-request'], container: a.container }) });
    case 'probe': return runChange(g, s, io, {
      ...shared, gather: async () => null,
      plan: (dep) => planProbe(dep, { container: a.container, initialDelay: a['initial-delay'], timeout: a['probe-timeout'], period: a.period, failureThreshold: a['failure-threshold'], disable: a.disable, port: a.port, path: a.path }),
    });
    case 'image': return runChange(g, s, io, { ...shared, gather: gatherImageHistory, plan: (dep, h) => planImage(dep, h.replicaSets, { to: a.to, container: a.container }, h.secretNames) });
    case 'db': return runChange(g, s, io, {
      ...shared,
      precheck: (api, dep, say) => waitForDatabase(api, dep, { wait: s.wait, timeoutMs: s.timeoutMs, now: io.now, say }),
      gather: async () => new Date(io.now()),
      plan: (dep, now) => planRestart(dep, now, 'fix db'),
    });
    case 'evicted': return runChange(g, s, io, {
      ...shared,
      gather: (api) => gatherHistory(api, ns),
      // The pods shown in the plan are the ones deleted.
      plan: (dep, h): Plan & { delete: PodDeletion[] } => {
        const p = planEvicted(dep, h.pods, h.replicaSets, { now: io.now(), windowMs: DEFAULT_HEALTH_WINDOW_MS });
        return { ...p.plan, delete: p.delete };
      },
      write: async (api, plan, dryRun) => {
        await deletePods(api, ns, plan.delete, dryRun, (m) => io.err(`${m}\n`));
        return getDeployment(api, ns, plan.deployment);
      },
      access: [{ verb: 'delete', group: '', resource: 'pods' }],
    });
  }
}
