import type { Diagnosis } from '../../diagnose/diagnosis';
import type { DiagnosisGroup } from '../../diagnose/index';
import { describeHit, excerptLabel } from '../../diagnose/logLines';
import { contactLine } from '../../escalation/index';
import type { Snapshot } from '../../cluster/snapshot';
import type { AlertResult } from './run';
import { describeGaps } from '../../diagnose/unread';
import { humanDuration } from '../../kube/duration';
import type { Colors } from '../../render/color';
import { renderTable } from '../../render/table';
import { sanitizeData } from '../../security/sanitize';

function verdict(d: Diagnosis, c: Colors): string {
  const cause = d.cause === 'healthy' ? c.green(c.bold(d.cause)) : c.red(c.bold(d.cause.toUpperCase()));
  const conf = d.confidence === 'confirmed' ? c.bold(d.confidence) : c.yellow(d.confidence);
  return `${cause} (${conf}): ${d.summary}\n`;
}

/** `width`: the terminal's, to wrap EVIDENCE in; undefined keeps whole lines (-o wide, a pipe). */
function evidenceTable(d: Diagnosis, now: number, width: number | undefined): string {
  if (!d.evidence.length) return '';
  return renderTable(['SOURCE', 'EVIDENCE', 'AGE'],
    d.evidence.map((e) => [e.source, e.detail, e.at ? humanDuration(now - Date.parse(e.at)) : '']), width ? { width, wrap: 1 } : undefined);
}

function nextSteps(d: Diagnosis, c: Colors): string {
  let s = '';
  if (d.fix) {
    s += `${c.bold('Next:')} ${d.fix.command}\n`;
    if (d.fix.kubectl.length) s += `  which does: ${d.fix.kubectl.join('\n              ')}\n`;
  }
  if (d.escalate) s += `${c.red(c.bold('Escalate:'))} ${d.escalate}\n`;
  if (d.escalation) s += `  ${contactLine(d.escalation, d.namespace)}\n`;
  return s;
}

function gapsLine(s: Pick<Snapshot, 'gaps'>, c: Colors): string {
  return s.gaps.length ? c.dim(`Not looked at: ${describeGaps(s.gaps)}`) + '\n' : '';
}

/**
 * The crashed run's error lines the diagnosis carries, the most specific marked with its
 * class; when none looks like an error, its plain tail, labelled so.
 */
function lastErrors(d: Diagnosis, c: Colors): string {
  const ex = d.log;
  if (!ex?.lines.length) return '';
  const title = ex.plain ? 'Last log lines' : 'Last error lines';
  // With one line, or a generic one, the headline would only repeat the list.
  const head = ex.headline && (ex.lines.length > 1 || !['error', 'fatal'].includes(ex.headline.class)) ? `${c.bold('Headline')} (${describeHit(ex.headline)}): ${ex.headline.line}\n` : '';
  return `${c.bold(`${title} (${excerptLabel(ex)}):`)}\n${ex.lines.map((l) => `  ${l}`).join('\n')}\n${head}`;
}

/** The diagnosis quotes cluster text (summaries, fixes, escalation, gaps): cleaned once, here, for every line below. */
export function renderDiagnosis(raw: Diagnosis, s: Pick<Snapshot, 'gaps'>, now: number, c: Colors, width?: number): string {
  const d = sanitizeData(raw);
  const head = `${d.pod.includes('/') ? 'Workload' : 'Pod'} ${c.bold(d.pod)}${d.container ? ` container ${d.container}` : ''} in ${d.namespace}\n`;
  return [head + verdict(d, c), evidenceTable(d, now, width), lastErrors(d, c), nextSteps(d, c) + gapsLine(s, c)].filter(Boolean).join('\n');
}

/** Pods that fail the same way are shown once, with the others named. */
export function renderGroups(groups: DiagnosisGroup[], s: Snapshot, now: number, c: Colors, width?: number): string {
  if (!groups.length) return c.green(`No unhealthy pods match ${s.selector} in ${s.namespace}.`) + '\n' + gapsLine(s, c);
  const names = groups.flatMap((g) => g.pods);
  // A workload diagnosis (stopped, pods missing) is named deployment/NAME, not a pod.
  const workloads = names.filter((n) => n.includes('/')).length;
  const pods = names.length - workloads;
  const what = [pods ? `${pods} unhealthy pod${pods === 1 ? '' : 's'}` : '', workloads ? `${workloads} workload${workloads === 1 ? '' : 's'} down` : ''].filter(Boolean).join(' and ');
  const parts = [`${what} in ${s.namespace}, ${groups.length} distinct failure${groups.length === 1 ? '' : 's'}:\n`];
  for (const g of groups) {
    const others = g.pods.filter((p) => p !== g.diagnosis.pod);
    const also = others.length ? `Same failure on: ${others.join(', ')}\n` : '';
    parts.push(renderDiagnosis(g.diagnosis, { ...s, gaps: [] }, now, c, width) + also);
  }
  return parts.join('\n') + gapsLine(s, c);
}

/** --alert: the alerts read, then each named pod's diagnosis as `why POD` shows it. */
export function renderAlerts(r: AlertResult, c: Colors, width?: number): string {
  const alerts = sanitizeData(r.alerts);
  if (!alerts.length) return c.green(`No ${r.alertname} alert is firing at ${sanitizeData(r.source)}.`) + '\n';
  const unnamed = alerts.filter((a) => !a.pod).length;
  const head = `${alerts.length} firing ${r.alertname} alert${alerts.length === 1 ? '' : 's'} at ${sanitizeData(r.source)}` +
    `${unnamed ? ` (${unnamed} without a pod label, not diagnosed)` : ''}:\n`;
  const named = alerts.filter((a) => a.pod).map((a) => `  ${a.namespace ?? '-'}/${a.pod}${a.startsAt ? ` firing since ${a.startsAt}` : ''}\n`).join('');
  // A pod that is gone has no snapshot and no evidence: no age to count from.
  return [head + named, ...r.items.map((i) => renderDiagnosis(i.diagnosis, i.snap ?? { gaps: [] }, i.snap ? Date.parse(i.snap.capturedAt) : 0, c, width))].join('\n');
}
