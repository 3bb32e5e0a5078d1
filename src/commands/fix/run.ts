import { sleep } from '../../cluster/interrupt';
import { paths, type KubeApi } from '../../cluster/api';
import { envServices, Gaps, readReference, readServiceState, referencedObjects } from '../../cluster/references';
import { CliError, usageError } from '../../errors';
import type { Io } from '../../io';
import type { Deployment, NodeObject, Pod, ReplicaSet } from '../../kube/types';
import type { GlobalOptions } from '../../options';
import { pickContainer } from '../../remedy/container';
import { evaluateDbPath } from '../../remedy/db';
import { planRestart } from '../../remedy/emergency';
import { planImage } from '../../remedy/image';
import { planOom } from '../../remedy/oom';
import { planProbe } from '../../remedy/probe';
import { planEvicted, type PodDeletion } from '../../remedy/evicted';
import type { Plan } from '../../remedy/plan';
import { deletePods, gatherHistory } from '../../cluster/history';
import { getDeployment } from '../../cluster/target';
import type { Check } from '../../cluster/verify';
import { changeSettings } from '../change/options';
import { runChange, type ChangeRequest } from '../change/run';
import { commandLine } from '../change/cause';
import { FIX_KINDS, FIX_OPTIONS, type FixArgs, type FixKind } from './index';

/** Options given for another kind of fix are refused rather than silently ignored. */
function checkOptions(kind: FixKind, a: FixArgs): void {
  const foreign = FIX_KINDS.filter((k) => k !== kind)
    .flatMap((k) => FIX_OPTIONS[k])
    .filter((o) => !FIX_OPTIONS[kind].includes(o) && a[o] !== undefined);
  if (foreign.length) throw usageError(`fix ${kind} does not take ${[...new Set(foreign)].map((o) => `--${o}`).join(', ')}`, `see kubectl dhakacart fix --help`);
}

const listRs = (api: KubeApi, ns: string) => api.list<ReplicaSet>(paths.replicasets(ns)).then((l) => l.items);

async function secretNames(api: KubeApi, dep: Deployment): Promise<Set<string> | null> {
  const gaps = new Gaps();
  const refs = await Promise.all(referencedObjects([dep.spec.template.spec]).filter((r) => r.kind === 'Secret').map((r) => readReference(api, gaps, dep.metadata.namespace!, r)));
  return gaps.list.length ? null : new Set(refs.filter((r) => r.exists).map((r) => r.name));
}

/** fix db: the database path must be sound before a restart can help. */
async function dbPrecheck(api: KubeApi, dep: Deployment, container: string | undefined, say: (m: string) => void, timeoutMs: number, wait: boolean): Promise<Check[]> {
  const ns = dep.metadata.namespace!;
  const c = pickContainer(dep, container);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const gaps = new Gaps();
    const host = envServices([{ containers: [c] }], ns).find((h) => h.envVar === 'DB_HOST') ?? null;
    const [pods, refs] = await Promise.all([
      api.list<Pod>(paths.pods(ns)).then((l) => l.items),
      Promise.all(referencedObjects([{ containers: [c] }]).map((r) => readReference(api, gaps, ns, r))),
    ]);
    const state = host ? await readServiceState(api, gaps, ns, host, pods) : null;
    const path = evaluateDbPath(ns, c, state, refs);
    const checks: Check[] = path.checks.map((k) => ({ name: k.name, ok: k.ok, detail: k.fix ? `${k.detail}; check: ${k.fix}` : k.detail }));
    if (path.ready && !path.needsHuman) return checks;
    const broken = path.checks.filter((k) => !k.ok).map((k) => `${k.name}: ${k.detail}`).join('; ');
    if (path.needsHuman || !wait || Date.now() >= deadline) {
      const kind = !path.needsHuman && wait ? 'timeout' : 'problems';
      throw new CliError(kind, `the database path is broken, so a restart would not help: ${broken}`,
        path.checks.filter((k) => k.fix).map((k) => k.fix).join('  |  ') || 'fix the database first, then re-run kubectl dhakacart fix db');
    }
    say(`waiting for the database: ${broken}`);
    await sleep(2000);
  }
}

export async function runFix(g: GlobalOptions, a: FixArgs, io: Io): Promise<number> {
  checkOptions(a.kind, a);
  const s = changeSettings(a);
  const cause = commandLine();
  const ns = g.namespace;
  const plans: Record<FixKind, ChangeRequest['plan']> = {
    oom: async (api, dep) => planOom(dep, await api.list<NodeObject>('/api/v1/nodes').then((l) => l.items, () => []), { memory: a.memory, memoryRequest: a['memory-request'], container: a.container }),
    probe: async (_api, dep) => planProbe(dep, { container: a.container, initialDelay: a['initial-delay'], timeout: a['probe-timeout'], period: a.period, failureThreshold: a['failure-threshold'], disable: a.disable, port: a.port, path: a.path }),
    image: async (api, dep) => planImage(dep, await listRs(api, ns), { to: a.to, container: a.container }, await secretNames(api, dep)),
    db: async (_api, dep) => planRestart(dep, new Date(io.now()), 'fix db'),
    evicted: async (api, dep) => {
      const h = await gatherHistory(api, ns);
      const p = planEvicted(dep, h.pods, h.replicaSets);
      evicted = p.delete;
      return p.plan;
    },
  };
  /** The pods the last evicted plan chose: what was shown is what is deleted. */
  let evicted: PodDeletion[] = [];
  return runChange(g, s, io, {
    target: a.target,
    cause,
    plan: plans[a.kind],
    ...(a.kind === 'evicted' ? {
      write: async (api: KubeApi, plan: Plan, dryRun: boolean) => {
        await deletePods(api, ns, evicted, dryRun, (m) => io.err(`${m}\n`));
        return getDeployment(api, ns, plan.deployment);
      },
      access: [{ verb: 'delete', group: '', resource: 'pods' }],
    } : {}),
    precheck: a.kind === 'db' ? (api, dep, say) => dbPrecheck(api, dep, a.container, say, s.timeoutMs, s.wait) : undefined,
  });
}
