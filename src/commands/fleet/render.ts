import type { Io } from '../../io';
import type { GlobalOptions } from '../../options';
import type { Colors } from '../../render/color';
import { isStructured, renderStructured } from '../../render/structured';
import { renderTable } from '../../render/table';
import type { ContextOutcome, FleetResult, FleetView } from './index';

/** A context's RESULT cell: ok, problems, or why it gave no answer (its error kind). */
function resultCell<R>(o: ContextOutcome<R>, c: Colors): string {
  if (!o.ok) return c.red(c.bold(o.error.kind));
  return o.exitCode === 0 ? c.green('ok') : c.red(c.bold('problems'));
}

function tally<R>(outcomes: ContextOutcome<R>[]): string {
  const ok = outcomes.filter((o) => o.ok && o.exitCode === 0).length;
  const problems = outcomes.filter((o) => o.ok && o.exitCode !== 0).length;
  const failed = outcomes.length - ok - problems;
  const n = outcomes.length;
  return `${n} cluster${n === 1 ? '' : 's'}: ${ok} ok, ${problems} with problems, ${failed} gave no answer.`;
}

/**
 * The fleet as one table, a row per cluster (CONTEXT, RESULT, SUMMARY), then what the
 * clusters share; JSON/YAML `{"contexts": [{context, ok, error, exitCode, ...the one-cluster
 * JSON}]}`, `error` null or `{kind, message}`.
 */
export function renderFleet<R>(r: FleetResult<R>, g: GlobalOptions, io: Io, view: FleetView<R>): void {
  const answered = r.fleet.flatMap((o) => (o.ok ? [{ context: o.context, result: o.result }] : []));
  const across = view.across?.(answered);
  if (isStructured(g.output)) {
    const contexts = r.fleet.map((o) => (o.ok
      ? { context: o.context, ok: true, error: null, exitCode: o.exitCode, ...view.json(o.result) }
      : { context: o.context, ok: false, error: o.error, exitCode: o.exitCode }));
    io.out(renderStructured({ contexts, ...across?.json }, g.output));
    return;
  }
  const c = io.colors;
  const width = g.output === 'wide' ? undefined : io.columns;
  const rows = r.fleet.map((o) => [o.context, resultCell(o, c), o.ok ? view.summary(o.result) : o.error.message]);
  const parts = [renderTable(['CONTEXT', 'RESULT', 'SUMMARY'], rows, width ? { width, wrap: 2 } : undefined), c.dim(tally(r.fleet)) + '\n'];
  const text = across?.text(c);
  if (text) parts.push(text);
  io.out(parts.join('\n'));
}
