import fs from 'node:fs';
import { connect } from '../../cluster/connect';
import { resolveDeployment } from '../../cluster/target';
import type { ChangeResult } from '../../change/result';
import type { Diagnosis } from '../../diagnose/diagnosis';
import { rollbackDidNotResolve } from '../../diagnose/escalate';
import { ContactBook } from '../../escalation/book';
import { withReason } from '../../escalation/index';
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

/** verify's result; with the contract's JSON fields, after a failure also what was found and done. */
export interface VerifyResult {
  target: string;
  rollout: { status: 'complete' | 'failed' | 'timeout'; revision: number | null };
  checks: RecoveryCheck[];
  verified: boolean;
  rolledBack: boolean;
  message: string;
  /** why's diagnosis of the workload after a failure, escalation and contacts attached (contractView for JSON). */
  diagnosis?: Diagnosis | null;
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

/** why's diagnosis of the workload that failed; its escalation rules evaluated with the contacts of `book`. */
async function diagnose(g: GlobalOptions, name: string, io: Io, book: ContactBook): Promise<Diagnosis | null> {
  const { runWhy } = await import('../why/run');
  const why = await runWhy(g, { pod: `deployment/${name}`, logs: 5, sinceMs: DEFAULT_HEALTH_WINDOW_MS }, io, book);
  return why.result.kind === 'one' ? why.result.diagnosis : null;
}

/**
 * The runbook's Monitoring Recovery for a workload someone changed. A failure is diagnosed
 * with why's code (its escalation rules included). With --rollback-on-failure (a deploy's
 * guard in CI) it is then rolled back with rollback's, to the newest revision that ran
 * healthy; a rollback that does not verify is the runbook's "rollback did not resolve it",
 * escalated. The exit code stays the failure's (1, or 5 for a rollout that timed out).
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
  const summarise = () => appendStepSummary(env.GITHUB_STEP_SUMMARY, verifyMarkdown(result), say);
  if (v.verified) {
    summarise();
    return { result, exitCode };
  }
  const book = new ContactBook(a['escalation-config'], () => api, io);
  say(`deployment/${name} failed verification: diagnosing${a['rollback-on-failure'] ? ', then rolling back to the last healthy revision' : ''}`);
  result.diagnosis = await diagnose(g, name, io, book);
  if (!a['rollback-on-failure']) {
    summarise();
    return { result, exitCode };
  }

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
    await escalateUnresolved(result, book);
    summarise();
    throw new PartialResult(e instanceof PartialResult ? e.error : e, result);
  }
  await escalateUnresolved(result, book);
  summarise();
  return { result, exitCode };
}

/** A rollback that was applied and then did not verify escalates to the senior engineer, with the contacts. */
async function escalateUnresolved(r: VerifyResult, book: ContactBook): Promise<void> {
  const rb = r.rollback;
  if (!r.diagnosis || !r.rolledBack || !rb || 'error' in rb || rb.verified) return;
  const to = rb.changes.find((c) => c.path === 'spec.template')?.to;
  const reason = rollbackDidNotResolve(String(to ?? 'the previous revision'), `rollout ${rb.rollout.status}${rb.message ? `: ${rb.message}` : ''}`);
  [r.diagnosis] = await book.attach([withReason(r.diagnosis, reason)]);
}
