/**
 * The one verification of a workload after a change, the plugin's or a person's (`verify`,
 * and every `fix`, `rollback` and `emergency` that waits): the rollout as `kubectl rollout
 * status` follows it, then the new pods and the app until they have been healthy for the
 * settle period, or the timeout passes.
 */
import type { KubeApi } from '../cluster/api';
import { askApp } from '../cluster/appProxy';
import { sleep } from '../cluster/interrupt';
import { MAX_FAILED_POLLS, newReplicaSetPods, transient, waitForRollout, type RolloutOutcome } from '../cluster/rollout';
import { getDeployment } from '../cluster/target';
import { ExitCode } from '../errors';
import { appTargets, judgeAnswers, judgePods, type RecoveryCheck } from './judge';

export interface FollowOptions {
  /** The whole follow, rollout and settling, ends by then. */
  timeoutMs: number;
  /** How long the pods and the app must stay healthy in a row. */
  settleMs: number;
  /** Paths asked beyond the probe's and the runbook's (--check). */
  paths?: readonly string[];
  pollMs?: number;
  now(): number;
  /** Rollout progress, as kubectl rollout status prints it. */
  onRollout(message: string): void;
  onMessage(message: string): void;
}

/**
 * `verified`: healthy for the settle period. `failed`: the rollout failed, a new pod failed
 * or restarted, a path of the app failed for the settle period while the pods were ready, or
 * the workload was unhealthy when the timeout passed. `timeout`: the rollout did not finish
 * in time, or the workload was healthy at every look but not yet for the settle period.
 */
export type Verdict = 'verified' | 'failed' | 'timeout';

/** The contract's exit code of a verdict: 0, 1 (problems) or 5 (timed out). */
export function verdictExitCode(v: Verdict): number {
  return v === 'verified' ? ExitCode.ok : v === 'timeout' ? ExitCode.timeout : ExitCode.problems;
}

export interface Verification { verdict: Verdict; verified: boolean; rollout: RolloutOutcome; checks: RecoveryCheck[]; message: string }

export async function followRecovery(api: KubeApi, ns: string, name: string, o: FollowOptions): Promise<Verification> {
  const started = o.now();
  const deadline = started + o.timeoutMs;
  const pollMs = o.pollMs ?? 1000;
  const rollout = await waitForRollout(api, ns, name, { timeoutMs: o.timeoutMs, pollMs, onMessage: o.onRollout });
  const done = (verdict: Verdict, checks: RecoveryCheck[], message: string): Verification => ({ verdict, verified: verdict === 'verified', rollout, checks, message });
  if (rollout.status === 'timeout') return done('timeout', [{ name: 'rollout', ok: false, detail: rollout.message }], rollout.message);
  if (rollout.status === 'failed') return done('failed', [{ name: 'rollout', ok: false, detail: rollout.message }], rollout.message);

  const settleSecs = Math.round(o.settleMs / 1000);
  o.onMessage(`Following the new pods until they have been healthy for ${settleSecs}s...`);
  const followStart = o.now();
  const firstSeen = new Map<string, number>();
  let healthySince: number | null = null;
  // A path that keeps failing for the settle period while the pods are ready is not warming up.
  let failingSince: number | null = null;
  let podRows: RecoveryCheck[] = [];
  let appRows: RecoveryCheck[] = [];
  const shown = () => [...podRows, ...appRows];
  let failedLooks = 0;
  for (;;) {
    try {
      const dep = await getDeployment(api, ns, name);
      const want = dep.spec.replicas ?? 1;
      const { pods } = await newReplicaSetPods(api, dep);
      failedLooks = 0;
      const now = o.now();
      if (want === 0) {
        const left = pods.filter((p) => !p.metadata.deletionTimestamp).length;
        return done('verified', [{ name: 'scaled to zero', ok: true, detail: `${left} pod(s) still terminating` }], `${rollout.message}; scaled to zero`);
      }
      const followed = now - followStart;
      const pv = judgePods(pods, want, firstSeen, { now, windowMs: followed }, followed);
      podRows = pv.checks;
      if (pv.climbing.length || pv.failing) return done('failed', shown(), `${rollout.message}, but ${pv.failing ? 'a new pod is failing' : 'restart counts still climb'}`);
      if (pv.ready.length < want) healthySince = failingSince = null;
      else if (healthySince === null || now - healthySince >= o.settleMs) {
        // The app is asked when a healthy stretch begins and again when it would end.
        const rows = await Promise.all(appTargets(dep, o.paths ?? []).map(async (t) => judgeAnswers(t.path, await askApp(api, ns, pv.ready, t))));
        if (rows.every((r) => r !== null)) {
          appRows = rows;
          if (rows.every((r) => r.ok)) {
            failingSince = null;
            healthySince ??= now;
            if (o.now() - healthySince >= o.settleMs) return done('verified', shown(), `${rollout.message}; healthy for ${settleSecs}s`);
          } else {
            healthySince = null;
            failingSince ??= now;
            if (o.now() - failingSince >= o.settleMs) return done('failed', shown(), `${rollout.message}, but the app kept failing for ${settleSecs}s`);
          }
        } else {
          o.onMessage('the app could not be asked this time (throttled or the connection dropped); asking again');
        }
      }
    } catch (e) {
      if (!transient(e) || ++failedLooks > MAX_FAILED_POLLS) throw e;
      o.onMessage(`could not read the pods (${(e as Error).message}); trying again`);
    }
    const left = deadline - o.now();
    if (left <= 0) {
      // Healthy at every look but not yet for long enough is a timeout; anything unhealthy at the end is a failure.
      const rows = podRows.length ? shown() : [{ name: 'pods', ok: false, detail: 'the new pods could not be read' }];
      if (rows.every((c) => c.ok)) return done('timeout', rows, `${rollout.message}, but timed out before it had been healthy for ${settleSecs}s`);
      return done('failed', rows, `${rollout.message}, but not healthy before the timeout`);
    }
    await sleep(Math.min(pollMs, left));
  }
}
