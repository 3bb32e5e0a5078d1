import { DEFAULT_HEALTH_WINDOW_MS } from '../../kube/podState';
import { sleep } from '../../cluster/interrupt';
import { paths, type KubeApi } from '../../cluster/api';
import { gatherDatabasePath } from '../../cluster/gatherDependency';
import { Gaps, readReference, referencedObjects } from '../../cluster/references';
import { CliError, usageError } from '../../errors';
import type { Io } from '../../io';
import type { Deployment, NodeObject, ReplicaSet } from '../../kube/types';
import type { GlobalOptions } from '../../options';
import { pickContainer } from '../../remedy/container';
import { planRestart } from '../../remedy/emergency';
import { planImage } from '../../remedy/image';
import { planOom } from '../../remedy/oom';
import { planProbe } from '../../remedy/probe';
import { planEvicted, type PodDeletion } from '../../remedy/evicted';
import type { Plan } from '../../remedy/plan';
import { deletePods, gatherHistory } from '../../cluster/history';
import { getDeployment } from '../../cluster/target';
import type { Check } from '../../cluster/verify';
import { changeSettings } from '../../change/options';
import { runChange, type ChangeRequest } from '../../change/runChange';
import { commandLine } from '../../change/cause';
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

/**
 * fix db: the same dependency chain `why` follows. The Deployment is restarted only when every
 * link is sound and the app's log shows connections that died before the database came back;
 * a broken link is reported with the command that repairs it, and nothing is changed.
 */
async function dbPrecheck(api: KubeApi, dep: Deployment, container: string | undefined, say: (m: string) => void, timeoutMs: number, wait: boolean, now: () => number): Promise<Check[]> {
  const c = pickContainer(dep, container);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { path, restart } = await gatherDatabasePath(api, dep, c, now());
    const checks: Check[] = (path?.links ?? []).map((l) => ({ name: l.name, ok: l.state === 'ok', detail: `${l.detail}${l.state === 'unknown' ? ' (unknown)' : ''}` }));
    if (restart.helps) return [...checks, { name: 'restart helps', ok: true, detail: restart.why }];
    const first = path?.broken ?? null;
    const help = first?.fix ? `what would help: ${first.fix.command}` : 'fix the database first, then re-run kubectl dhakacart fix db';
    if (path?.links.every((l) => l.state === 'ok')) throw new CliError('problems', `nothing restarted: ${restart.why}`, `kubectl dhakacart why -n ${dep.metadata.namespace}`);
    const mends = !!path && path.links.every((l) => l.state === 'ok' || l.mendsAlone);
    if (!mends || !wait || Date.now() >= deadline) {
      throw new CliError(mends && wait ? 'timeout' : 'problems', `the database path is broken, so a restart would not help: ${restart.why}`, help);
    }
    say(`waiting for the database: ${restart.why}`);
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
      const p = planEvicted(dep, h.pods, h.replicaSets, { now: io.now(), windowMs: DEFAULT_HEALTH_WINDOW_MS });
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
    precheck: a.kind === 'db' ? (api, dep, say) => dbPrecheck(api, dep, a.container, say, s.timeoutMs, s.wait, () => io.now()) : undefined,
  });
}
