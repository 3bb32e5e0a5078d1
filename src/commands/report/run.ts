import { gatherWhy } from '../../cluster/gatherWhy';
import type { Snapshot } from '../../cluster/snapshot';
import { diagnosePod, diagnoseUnhealthy } from '../../diagnose/index';
import { ContactBook } from '../../escalation/book';
import type { KubeApi } from '../../cluster/api';
import { CliError, ExitCode, usageError } from '../../errors';
import type { Io } from '../../io';
import { DEFAULT_POD_SELECTOR } from '../../kube/selector';
import type { GlobalOptions } from '../../options';
import { renderStructured } from '../../render/structured';
import { renderReportMarkdown } from '../../report/markdown';
import { buildReport, type Report, type SavedSnapshot } from '../../report/model';
import { filedChecks } from '../../report/prevention';
import { checkLive, type WorkloadReport } from '../check/run';
import { startSpinner } from '../../render/spinner';
import type { Outcome } from '../types';
import { DATABASE_LOG, lazyApi } from '../why/run';
import { loadSnapshot } from '../why/snapshotFile';
import type { ReportArgs, ReportFormat } from './index';

export interface ReportOutcome { report: Report; format: ReportFormat }

/** A saved snapshot's failures as `why --from-file` reads them: its pod, or its namespace's unhealthy pods. */
function savedSnapshot(file: string, namespace: string): SavedSnapshot {
  const snapshot = loadSnapshot(file);
  if (snapshot.namespace !== namespace) throw usageError(`${file} is a snapshot of namespace ${snapshot.namespace}, not ${namespace}`, `report on it with -n ${snapshot.namespace}`);
  const diagnoses = snapshot.target ? [diagnosePod(snapshot, snapshot.target)] : diagnoseUnhealthy(snapshot);
  return { file, snapshot, diagnoses };
}

/** The Prevention Checklist of check, for the items the incident does not show; a checklist that cannot run costs those items only. */
async function checklist(api: KubeApi, ns: string, io: Io): Promise<WorkloadReport[]> {
  try {
    return await checkLive(api, ns, [], false);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    io.err(`warning: the prevention checklist was not run (${e.message}); its items say unchecked\n`);
    return [];
  }
}

export async function runReport(g: GlobalOptions, a: ReportArgs, io: Io): Promise<Outcome<ReportOutcome>> {
  const api = lazyApi(g);
  const book = new ContactBook(a['escalation-config'], api, io);
  const saved = a.files.map((f) => savedSnapshot(f, g.namespace));
  const spinner = await startSpinner(io, a.format === 'md' ? g.output : 'json', `Reading ${g.namespace} for the report...`);
  let live: Snapshot;
  let checked: WorkloadReport[];
  try {
    // The checklist reads beside the incident's gather, not after it: no round is added.
    // The incident window is also the health window: a pod that crashed in it and runs again still counts.
    [live, checked] = await Promise.all([
      gatherWhy(api(), { namespace: g.namespace, pod: null, selector: DEFAULT_POD_SELECTOR, context: api().ctx.context, now: io.now(), windowMs: a.sinceMs }, DATABASE_LOG),
      checklist(api(), g.namespace, io),
    ]);
  } finally {
    spinner.stop();
  }
  const diagnoses = await book.attach(diagnoseUnhealthy(live));
  const report = buildReport({ live, diagnoses, saved, sinceMs: a.sinceMs, checks: filedChecks(checked) });
  return { result: { report, format: a.format }, exitCode: report.resolved ? ExitCode.ok : ExitCode.problems };
}

export function renderReport(r: ReportOutcome, _g: GlobalOptions, io: Io): void {
  io.out(r.format === 'md' ? renderReportMarkdown(r.report) : renderStructured(r.report, r.format));
}
