import fs from 'node:fs';
import { connect } from '../../cluster/connect';
import { resolveDeployment } from '../../cluster/target';
import type { ChangeResult } from '../../change/result';
import { contractView } from '../../diagnose/diagnosis';
import { CliError, PartialResult } from '../../errors';
import type { Io } from '../../io';
import { DEFAULT_HEALTH_WINDOW_MS } from '../../kube/podState';
import type { GlobalOptions } from '../../options';
import { startSpinner } from '../../render/spinner';
import { isStructured } from '../../render/structured';
import { followRecovery, verdictExitCode } from '../../verify/follow';
import type { RecoveryCheck } from '../../verify/judge';
import { verifyMarkdown } from '../../verify/markdown';
import type { Outcome } from '../types';
import type { VerifyArgs } from './index';

/** The contract's JSON for verify; with --rollback-on-failure after a failure, also what was found and done. */
export interface VerifyResult {
  target: string;
  rollout: { status: 'complete' | 'failed' | 'timeout'; revision: number | null };
  checks: RecoveryCheck[];
  verified: boolean;
  rolledBack: boolean;
  message: string;
  /** why's diagnosis of the workload (its contract JSON), when the failure was diagnosed. */
  diagnosis?: ReturnType<typeof contractView> | null;
  /** The rollback, as `rollback -o json` reports it; or why it could not be made. */
  rollback?: ChangeResult | { error: string } | null;
}

/** GitHub's job summary: Markdown appended to the file GITHUB_STEP_SUMMARY names, one section per step. */
function appendStepSummary(file: string | undefined, markdown: string, say: (m: string) => void): void {
  if (!file) return;
  try {
    fs.appendFileSync(file, markdown);
  } catch (e) {
    say(`warning: could not write the step summary to GITHUB_STEP_SUMMARY: ${(e as Error).message}`);
  }
}

/**
 * The runbook's Monitoring Recovery for a workload someone changed. With
 * --rollback-on-failure (a deploy's guard in CI), a failure is diagnosed with why's code and
 * rolled back with rollback's, to the newest revision that ran healthy; the exit code stays
 * the failure's (1, or 5 for a rollout that timed out).
 */
export async function runVerify(g: GlobalOptions, a: VerifyArgs, io: Io, env: NodeJS.ProcessEnv = process.env): Promise<Outcome<VerifyResult>> {
  const say = (m: string) => io.err(`${m}\n`);
  const structured = isStructured(g.output);
  const api = connect(g);
  const ns = g.namespace;
  const name = (await resolveDeployment(api, ns, a.deployment)).metadata.name;
  const spinner = await startSpinner(io, g.output, `Waiting for deployment/${name} to roll out...`);
  let v;
  try {
    v = await followRecovery(api, ns, name, {
      timeoutMs: a.timeoutMs, settleMs: a.settleMs, paths: a.check, now: io.now, onMessage: say,
      onRollout: io.interactive && !structured ? (m) => spinner.update(m) : say,
    });
  } finally {
    spinner.stop();
  }
  const result: VerifyResult = {
    target: `deployment/${name}`, rollout: { status: v.rollout.status, revision: v.rollout.revision }, checks: v.checks,
    verified: v.verified, rolledBack: false, message: v.message,
  };
  const exitCode = verdictExitCode(v.verdict);
  if (v.verified || !a['rollback-on-failure']) {
    appendStepSummary(env.GITHUB_STEP_SUMMARY, verifyMarkdown(result), say);
    return { result, exitCode };
  }

  say(`deployment/${name} failed verification: diagnosing, then rolling back to the last healthy revision`);
  const { runWhy } = await import('../why/run');
  const why = await runWhy(g, { pod: `deployment/${name}`, logs: 5, sinceMs: DEFAULT_HEALTH_WINDOW_MS }, io);
  result.diagnosis = why.result.kind === 'one' ? contractView(why.result.diagnosis) : null;
  const { runRollback } = await import('../rollback/run');
  try {
    const rb = await runRollback(g, { deployment: `deployment/${name}`, 'to-revision': 0, yes: true, wait: true, timeout: a.timeout, settle: a.settle }, io);
    result.rollback = 'refused' in rb.result ? { error: rb.result.refused } : rb.result;
    result.rolledBack = 'applied' in rb.result && rb.result.applied;
  } catch (e) {
    // The failure and its diagnosis are still reported (and summarised) before the rollback's own error.
    if (!(e instanceof CliError || e instanceof PartialResult)) throw e;
    if (e instanceof PartialResult) {
      result.rollback = e.result as ChangeResult;
      result.rolledBack = result.rollback.applied;
    } else {
      result.rollback = { error: e.message };
    }
    appendStepSummary(env.GITHUB_STEP_SUMMARY, verifyMarkdown(result), say);
    throw new PartialResult(e instanceof PartialResult ? e.error : e, result);
  }
  appendStepSummary(env.GITHUB_STEP_SUMMARY, verifyMarkdown(result), say);
  return { result, exitCode };
}
