import { TEAM_NAMES } from '../diagnose/escalate';
import { sanitizeData } from '../security/sanitize';
import type { Report } from './model';

/** A table cell: one line, and a `|` that does not end the cell. */
const cell = (s: string | number | null) => String(s ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
/** Inline code that survives backticks in the text. */
const code = (s: string) => (s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``);

function table(head: string[], rows: (string | number | null)[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n') + '\n';
}

function summary(r: Report): string {
  const state = r.resolved ? (r.diagnoses.length ? 'resolved: nothing fails now' : 'nothing failing') : `**${r.diagnoses.length} failing now**`;
  const lines = [`- **Namespace:** ${r.namespace}${r.context ? ` (context ${r.context})` : ''}`, `- **Window:** the last ${r.since}, from ${r.from} to ${r.generatedAt}`, `- **Status:** ${state}`, `- **Root cause:** ${r.rootCause.verdict}`];
  if (r.escalation) lines.push(`- **Escalation:** ${TEAM_NAMES[r.escalation.team]}: ${r.escalation.reason}`);
  return lines.join('\n') + '\n';
}

function diagnoses(r: Report): string {
  if (!r.diagnoses.length) return 'No failing pod was diagnosed in the window.\n';
  return r.diagnoses.map((d) => {
    const head = `### ${d.pod}${d.container ? ` (container ${d.container})` : ''}: ${d.cause} (${d.confidence})\n\n${d.summary}\n\n`;
    const ev = d.evidence.length ? table(['Source', 'Evidence', 'At'], d.evidence.map((e) => [e.source, e.detail, e.at])) + '\n' : '';
    const next = d.fix ? `Next: ${code(d.fix.command)}\n` : '';
    return head + ev + next;
  }).join('\n');
}

function trends(r: Report): string {
  const { restarts, memory } = r.trends;
  const parts: string[] = [];
  parts.push(restarts.length
    ? table(['Pod', 'Container', 'Restarts over time', 'Still climbing'], restarts.map((t) => [t.pod, t.container, t.points.map((p) => `${p.restarts} at ${p.at}`).join(', '), t.climbing ? 'yes' : 'no']))
    : 'No container restarted.\n');
  parts.push(memory === null ? 'Memory: no metrics were served (metrics.k8s.io), so no usage is known.\n'
    : memory.length ? table(['Pod', 'Container', 'Memory over time', 'Limit'], memory.map((t) => [t.pod, t.container, t.points.map((p) => `${p.usage}${p.ofLimit !== null ? ` (${p.ofLimit}%)` : ''} at ${p.at}`).join(', '), t.limit ?? 'none']))
    : 'Memory: no usage reported.\n');
  return parts.join('\n');
}

function escalation(r: Report): string {
  if (!r.escalation) return 'No escalation rule holds now (several services down, a rollback that did not help, infrastructure trouble, a customer-facing service with every replica down).\n';
  const e = r.escalation;
  const who = e.contacts.length ? e.contacts.join(', ') : `none configured: add key "${e.team}" to ConfigMap dhakacart-escalation, or pass --escalation-config FILE`;
  return `- **Team:** ${TEAM_NAMES[e.team]}\n- **Why:** ${e.reason}\n- **Contacts:** ${who}\n- **Hand over:** this report (the diagnosis and its evidence above)\n`;
}

const MARK: Record<Report['preventiveMeasures'][number]['status'], string> = { incident: '[ ]', fail: '[ ]', warn: '[ ]', unchecked: '[ ]', pass: '[x]' };

/**
 * The report as Markdown, ready to paste into an incident document: the runbook's
 * Post-Incident Analysis sections, pre-filled. Every cluster text is sanitized first.
 */
export function renderReportMarkdown(raw: Report): string {
  const r = sanitizeData(raw);
  return [
    `# Incident report: ${r.namespace}\n`,
    `## Summary\n\n${summary(r)}`,
    `## Timeline (UTC)\n\n${r.timeline.length ? table(['Time', 'Kind', 'Object', 'What'], r.timeline.map((e) => [e.at, e.kind, e.object, e.detail])) : 'Nothing happened in the window.\n'}`,
    `## Diagnosis\n\n${diagnoses(r)}`,
    `## Actions taken\n\n${r.actions.length ? table(['Time', 'Target', 'Command', 'Revision', 'Outcome'], r.actions.map((a) => [a.at, a.target, code(a.command), a.revision, a.outcome])) : 'No change was made with kubectl dhakacart (no change-cause of it on the Deployments).\n'}`,
    `## Restart and memory trends\n\n${trends(r)}`,
    `## Escalation\n\n${escalation(r)}`,
    `## Root Cause Analysis\n\n${r.rootCause.verdict}\n\n${r.rootCause.findings.map((f) => `- **${f.item}:** ${f.finding}`).join('\n')}\n`,
    `## Preventive Measures\n\n${r.preventiveMeasures.map((m) => `- ${MARK[m.status]} ${m.item}: ${m.detail}${m.fix ? ` (${code(m.fix)})` : ''}`).join('\n')}\n`,
    '## Documentation Updates\n\n- [ ] Update deployment procedures\n- [ ] Document configuration requirements\n- [ ] Update monitoring thresholds\n',
  ].join('\n');
}
