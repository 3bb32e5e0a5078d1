import { connect } from '../../cluster/connect';
import { gatherStatus } from '../../cluster/gatherStatus';
import { interruptSignal } from '../../cluster/interrupt';
import { watchPods } from '../../cluster/watchPods';
import { ExitCode, usageError } from '../../errors';
import type { Io } from '../../io';
import { summarizePod } from '../../kube/podState';
import { DEFAULT_POD_SELECTOR } from '../../kube/selector';
import type { GlobalOptions } from '../../options';
import { startSpinner } from '../../render/spinner';
import { isStructured, renderJsonLine, renderStructured } from '../../render/structured';
import { renderTable } from '../../render/table';
import type { Outcome } from '../types';
import type { StatusArgs } from './index';
import { buildStatus, toStatusPod, type StatusView } from './model';
import { podHead, podRow, renderStatusTable } from './render';

/** What status shows, and the clock its ages are counted from; null after --watch (its lines were live). */
export type StatusResult = { view: StatusView; now: number } | null;

export function renderStatus(r: StatusResult, g: GlobalOptions, io: Io): void {
  if (!r) return;
  if (isStructured(g.output)) io.out(renderStructured(r.view.report, g.output));
  else io.out(renderStatusTable(r.view, g.output === 'wide', r.now, io.colors));
}

export async function runStatus(g: GlobalOptions, a: StatusArgs, io: Io): Promise<Outcome<StatusResult>> {
  const selector = a.all ? null : a.selector ?? DEFAULT_POD_SELECTOR;
  const allNs = !!a['all-namespaces'];
  if (allNs && a.watch) throw usageError('--watch cannot be combined with -A/--all-namespaces', 'watch one namespace: -n NAMESPACE --watch');
  const namespace = allNs ? null : g.namespace;
  const api = connect(g);
  const spinner = await startSpinner(io, g.output, `Reading pods in ${namespace ?? 'all namespaces'}...`);
  let snap;
  try {
    snap = await gatherStatus(api, namespace);
  } finally {
    spinner.stop();
  }
  const now = io.now();
  const clock = { now, windowMs: a.sinceMs };
  const view = buildStatus(namespace, selector, snap, clock);
  if (!a.watch) return { result: { view, now }, exitCode: view.report.healthy ? ExitCode.ok : ExitCode.problems };
  // The watch follows the selected pods only; the workloads and dependencies were judged above.
  renderStatus({ view, now }, g, io);

  // --watch: one line per change (NDJSON with -o json/yaml), until Ctrl-C.
  const unhealthy = new Set(view.report.pods.filter((p) => !p.healthy).map((p) => p.name));
  // Ends on Ctrl-C (main.ts aborts interruptSignal and exits 130, as kubectl get -w does).
  await watchPods(api, g.namespace, selector ?? undefined, snap.podsResourceVersion, ({ type, pod }) => {
    const s = summarizePod(pod, { now: io.now(), windowMs: a.sinceMs });
    const p = toStatusPod(s, io.now());
    if (type === 'DELETED') unhealthy.delete(p.name);
    else if (p.healthy) unhealthy.delete(p.name);
    else unhealthy.add(p.name);
    if (isStructured(g.output)) io.out(renderJsonLine({ type, pod: p }));
    else {
      const row = podRow(p, s, g.output === 'wide', io.now(), io.colors);
      if (type === 'DELETED') row[3] = 'Deleted';
      // The header is repeated only in the first table; change lines follow it, like kubectl get -w.
      io.out(renderTable(podHead(g.output === 'wide'), [row]).split('\n').slice(1).join('\n'));
    }
  }, interruptSignal);
  return { result: null, exitCode: unhealthy.size ? ExitCode.problems : ExitCode.ok };
}
