import type { Diagnosis } from '../../diagnose/diagnosis';
import type { DiagnosisGroup } from '../../diagnose/index';
import { errorLines } from '../../diagnose/logLines';
import type { Snapshot } from '../../diagnose/snapshot';
import { humanDuration } from '../../kube/duration';
import type { Colors } from '../../render/color';
import { renderTable } from '../../render/table';
import { sanitizeData } from '../../security/sanitize';

function verdict(d: Diagnosis, c: Colors): string {
  const cause = d.cause === 'healthy' ? c.green(c.bold(d.cause)) : c.red(c.bold(d.cause.toUpperCase()));
  const conf = d.confidence === 'confirmed' ? c.bold(d.confidence) : c.yellow(d.confidence);
  return `${cause} (${conf}): ${d.summary}\n`;
}

function evidenceTable(d: Diagnosis, now: number): string {
  if (!d.evidence.length) return '';
  return renderTable(['SOURCE', 'EVIDENCE', 'AGE'],
    d.evidence.map((e) => [e.source, e.detail, e.at ? humanDuration(now - Date.parse(e.at)) : '']));
}

function nextSteps(d: Diagnosis, c: Colors): string {
  let s = '';
  if (d.fix) {
    s += `${c.bold('Next:')} ${d.fix.command}\n`;
    if (d.fix.kubectl.length) s += `  which does: ${d.fix.kubectl.join('\n              ')}\n`;
  }
  if (d.escalate) s += `${c.red(c.bold('Escalate:'))} ${d.escalate}\n`;
  return s;
}

function gapsLine(s: Snapshot, c: Colors): string {
  return s.gaps.length ? c.dim(`Not looked at: ${s.gaps.map((g) => `${g.what} (${g.reason})`).join(', ')}`) + '\n' : '';
}

/** The runbook's grep of the crashed run's log, already sanitized by errorLines. */
function lastErrors(d: Diagnosis, s: Snapshot, n: number, c: Colors): string {
  const ex = d.container ? errorLines(s.logs[d.pod]?.[d.container], n) : { lines: [], from: null };
  if (!ex.lines.length) return '';
  return `${c.bold(`Last error lines (${ex.from} log):`)}\n${ex.lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/** The diagnosis quotes cluster text (summaries, fixes, escalation, gaps): cleaned once, here, for every line below. */
export function renderDiagnosis(raw: Diagnosis, s: Snapshot, now: number, c: Colors, logLines: number): string {
  const d = sanitizeData(raw);
  const head = `Pod ${c.bold(d.pod)}${d.container ? ` container ${d.container}` : ''} in ${d.namespace}\n`;
  return [head + verdict(d, c), evidenceTable(d, now), lastErrors(d, s, logLines, c), nextSteps(d, c) + gapsLine(s, c)].filter(Boolean).join('\n');
}

/** Pods that fail the same way are shown once, with the others named. */
export function renderGroups(groups: DiagnosisGroup[], s: Snapshot, now: number, c: Colors, logLines: number): string {
  if (!groups.length) return c.green(`No unhealthy pods match ${s.selector} in ${s.namespace}.`) + '\n' + gapsLine(s, c);
  const total = groups.reduce((n, g) => n + g.pods.length, 0);
  const parts = [`${total} unhealthy pod${total === 1 ? '' : 's'} in ${s.namespace}, ${groups.length} distinct failure${groups.length === 1 ? '' : 's'}:\n`];
  for (const g of groups) {
    const others = g.pods.filter((p) => p !== g.diagnosis.pod);
    const also = others.length ? `Same failure on: ${others.join(', ')}\n` : '';
    parts.push(renderDiagnosis(g.diagnosis, { ...s, gaps: [] }, now, c, logLines) + also);
  }
  return parts.join('\n') + gapsLine(s, c);
}
