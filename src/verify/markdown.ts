/**
 * verify's result as Markdown, for a CI job's summary ($GITHUB_STEP_SUMMARY) or an incident
 * channel: the verdict, what was looked at, and after a failure the diagnosis and the
 * rollback. Every string from the cluster is cleaned (sanitizeText) and then escaped, so a
 * log line can neither break the table nor add a link, an image or HTML to the page.
 */
import type { ChangeResult } from '../change/result';
import type { Diagnosis } from '../diagnose/diagnosis';
import { contactLine } from '../escalation/index';
import { sanitizeText } from '../security/sanitize';
import type { RecoveryCheck } from './judge';

export interface VerifySummary {
  target: string;
  rollout: { status: string; revision: number | null };
  checks: RecoveryCheck[];
  verified: boolean;
  rolledBack: boolean;
  message: string;
  diagnosis?: Diagnosis | null;
  rollback?: ChangeResult | { error: string } | null;
}

/** Text in Markdown: GitHub's backslash escapes for its punctuation, `&` as an entity. */
export function mdText(s: string): string {
  return sanitizeText(s).replace(/&/g, '&amp;').replace(/[\\`*_{}[\]()<>#+!|~]/g, '\\$&');
}

/** A command as code: a fence longer than any run of backticks inside it. */
export function mdCode(s: string): string {
  const clean = sanitizeText(s);
  const fence = '`'.repeat(Math.max(0, ...(clean.match(/`+/g) ?? []).map((r) => r.length)) + 1);
  return `${fence}${clean.startsWith('`') ? ' ' : ''}${clean}${clean.endsWith('`') ? ' ' : ''}${fence}`;
}

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';
}

function diagnosisSection(d: Diagnosis): string {
  let s = `\n#### Diagnosis: ${mdText(d.cause)} (${mdText(d.confidence)})\n\n${mdText(d.summary)}\n`;
  if (d.evidence.length) s += `\n${table(['Source', 'Evidence', 'At'], d.evidence.map((e) => [mdText(e.source), mdText(e.detail), e.at ? mdText(e.at) : '']))}`;
  if (d.fix) s += `\nNext: ${mdCode(d.fix.command)}\n`;
  if (d.escalate) s += `\n**Escalate:** ${mdText(d.escalate)}\n`;
  if (d.escalation) s += `\n${mdText(contactLine(d.escalation, d.namespace))}\n`;
  if (d.notLookedAt.length) s += `\nNot looked at: ${d.notLookedAt.map((n) => `${mdText(n.what)} (${mdText(n.reason)})`).join(', ')}\n`;
  return s;
}

function rollbackSection(r: ChangeResult | { error: string }, rolledBack: boolean): string {
  if ('error' in r) return `\n#### Rollback\n\nNot rolled back: ${mdText(r.error)}\n`;
  const to = r.changes.find((c) => c.path === 'spec.template')?.to;
  const what = rolledBack ? `Rolled back to ${mdText(String(to ?? 'the previous revision'))}` : 'Not rolled back';
  return `\n#### Rollback\n\n${what}: rollout ${mdText(r.rollout.status)}, ${r.verified ? 'verified' : 'not verified'}. ${mdText(r.message ?? '')}\n`;
}

export function verifyMarkdown(r: VerifySummary): string {
  const verdict = r.verified ? 'verified' : r.rollout.status === 'timeout' ? 'timed out' : 'NOT verified';
  let s = `### kubectl dhakacart verify ${mdText(r.target)}: ${verdict}${r.rolledBack ? ', rolled back' : ''}\n\n${mdText(r.message)}\n\n`;
  s += table(['Check', 'OK', 'Detail'], r.checks.map((c) => [mdText(c.name), c.ok ? 'yes' : '**no**', mdText(c.detail)]));
  if (r.diagnosis) s += diagnosisSection(r.diagnosis);
  if (r.rollback) s += rollbackSection(r.rollback, r.rolledBack);
  return `${s}\n`;
}
