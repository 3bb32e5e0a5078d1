import { contractView } from '../../diagnose/diagnosis';
import { contactLine } from '../../escalation/index';
import type { Io } from '../../io';
import type { OutputFormat } from '../../render/structured';
import { isStructured, renderStructured } from '../../render/structured';
import { renderTable } from '../../render/table';
import type { VerifyResult } from './run';

/** The checks table and the verdict; after a rollback-on-failure, the diagnosis and what the rollback did. */
export function renderVerify(r: VerifyResult, output: OutputFormat, io: Io): void {
  if (isStructured(output)) {
    io.out(renderStructured({ ...r, ...(r.diagnosis !== undefined ? { diagnosis: r.diagnosis && contractView(r.diagnosis) } : {}) }, output));
    return;
  }
  const c = io.colors;
  let s = renderTable(['CHECK', 'OK', 'DETAIL'], r.checks.map((k) => [k.name, k.ok ? c.green('yes') : c.red('NO'), k.detail]));
  s += `${r.verified ? c.green(c.bold('verified')) : c.red(c.bold(r.rollout.status === 'timeout' ? 'timed out' : 'NOT verified'))}: ${r.message}\n`;
  if (r.diagnosis) {
    s += `${c.bold('Diagnosis:')} ${r.diagnosis.cause} (${r.diagnosis.confidence}): ${r.diagnosis.summary}\n`;
    if (r.diagnosis.escalate) s += `${c.red(c.bold('Escalate:'))} ${r.diagnosis.escalate}\n`;
    if (r.diagnosis.escalation) s += `  ${contactLine(r.diagnosis.escalation, r.diagnosis.namespace)}\n`;
  }
  if (r.rollback) {
    s += 'error' in r.rollback ? `${c.bold('Rollback:')} not made: ${r.rollback.error}\n`
      : `${c.bold('Rollback:')} ${r.rolledBack ? 'rolled back' : 'not rolled back'}; ${r.rollback.message ?? ''}\n`;
  }
  io.out(s);
}
