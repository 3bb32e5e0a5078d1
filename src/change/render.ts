import { problemText } from '../errors';
import type { Io } from '../io';
import type { OutputFormat } from '../render/structured';
import { isStructured, renderStructured } from '../render/structured';
import { renderTable } from '../render/table';
import type { Change, Plan } from '../remedy/plan';
import { sanitizeErrorText } from '../security/sanitize';
import type { ChangeReport } from './result';

const show = (v: Change['from']) => (v === null ? '<none>' : String(v));

/** The plan as shown before its confirmation (on stderr with -o json|yaml, so stdout stays the result). */
export function planText(plan: Plan, io: Io): string {
  const c = io.colors;
  let s = '';
  if (plan.changes.length) {
    s += `${c.bold(plan.action)} on deployment/${plan.deployment}:\n`;
    s += renderTable(['CHANGE', 'FROM', 'TO'], plan.changes.map((ch) => [ch.path, c.red(show(ch.from)), c.green(show(ch.to))]));
  }
  for (const w of plan.warnings) s += c.yellow(`warning: ${w}`) + '\n';
  return s;
}

/**
 * The result of fix, rollback or emergency: the contract's JSON, or its checks and message.
 * A refusal (nothing planned, e.g. fix db on a broken database path) is written as errors are.
 */
export function renderChange(r: ChangeReport, output: OutputFormat, io: Io): void {
  if ('refused' in r) {
    io.err(sanitizeErrorText(problemText([{ message: r.refused, hint: r.hint }])));
    return;
  }
  if (isStructured(output)) {
    io.out(renderStructured(r, output));
    return;
  }
  const c = io.colors;
  let s = r.checks.length ? renderTable(['CHECK', 'OK', 'DETAIL'], r.checks.map((k) => [k.name, k.ok ? c.green('yes') : c.red('NO'), k.detail])) : '';
  if (r.message) s += `${r.message}\n`;
  io.out(s);
}
