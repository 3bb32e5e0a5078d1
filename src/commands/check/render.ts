import { RULES } from '../../check/index';
import { atOrAbove, type CheckLevel } from '../../check/types';
import type { Io } from '../../io';
import type { GlobalOptions } from '../../options';
import type { Colors } from '../../render/color';
import { renderJunit } from '../../render/junit';
import { renderSarif } from '../../render/sarif';
import { isStructured, renderStructured } from '../../render/structured';
import { renderTable } from '../../render/table';
import { sanitizeData } from '../../security/sanitize';
import { VERSION } from '../../version';
import type { CheckReport, WorkloadReport } from './run';

const MARK: Record<CheckLevel, (c: Colors, s: string) => string> = {
  pass: (c, s) => c.green(s), warn: (c, s) => c.yellow(c.bold(s)), fail: (c, s) => c.red(c.bold(s)),
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One workload: a PASS/WARN/FAIL table, then each fix whole (a command is copied, never wrapped or cut). */
export function renderWorkload(w: WorkloadReport, c: Colors, width: number | undefined): string {
  const where = w.file ? ` (${w.file}${w.line ? `:${w.line}` : ''})` : '';
  const head = `${c.bold(w.target)} in ${w.namespace}${where}\n`;
  const table = renderTable(['RESULT', 'CHECK', 'DETAIL'], w.checks.map((k) => [MARK[k.result](c, k.result.toUpperCase()), k.id, k.detail]), width ? { width, wrap: 2 } : undefined);
  const fixes = w.checks.filter((k) => k.fix).map((k) => `  ${k.id}: ${k.fix}`);
  return head + table + (fixes.length ? `${c.bold('Fix:')}\n${fixes.join('\n')}\n` : '') + c.dim(tallyLine(w.checks)) + '\n';
}

/** The contract's `check -o json`. */
export const checkJson = (r: CheckReport) => ({ source: r.source, result: r.result, workloads: r.workloads });

/** "3 passed, 1 warning, 0 failed" of a list of results. */
export function tallyLine(checks: { result: CheckLevel }[]): string {
  const n = (r: CheckLevel) => checks.filter((k) => k.result === r).length;
  return `${plural(n('pass'), 'passed', 'passed')}, ${plural(n('warn'), 'warning')}, ${plural(n('fail'), 'failed', 'failed')}`;
}

export function renderCheck(r: CheckReport, g: GlobalOptions, io: Io): void {
  if (g.output === 'sarif') return io.out(renderSarif(r.workloads, RULES, VERSION));
  if (g.output === 'junit') return io.out(renderJunit(r.workloads, (x) => atOrAbove(x, r.failOn)));
  if (isStructured(g.output)) return io.out(renderStructured(checkJson(r), g.output));
  const clean = sanitizeData(r);
  const width = g.output === 'wide' ? undefined : io.columns;
  io.out(clean.workloads.map((w) => renderWorkload(w, io.colors, width)).join('\n'));
}
