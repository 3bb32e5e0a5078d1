/**
 * `check -o sarif`: SARIF 2.1.0 (OASIS), the format GitHub code scanning and most CI
 * annotators read. One rule per checklist item, one result per check that is not a pass
 * (a pass is a result too, of kind "pass", so a report says what was looked at).
 */
import { sanitizeData } from '../security/sanitize';

export type Result = 'pass' | 'warn' | 'fail';
/** What was checked of one subject (a workload): the shape of check's report, seen from here. */
export interface Subject {
  target: string; namespace: string; file: string | null; line: number | null;
  checks: { id: string; title: string; result: Result; detail: string; fix: string | null }[];
}
export interface RuleInfo { id: string; title: string }

const LEVEL: Record<Result, 'none' | 'warning' | 'error'> = { pass: 'none', warn: 'warning', fail: 'error' };

/** A manifest path as a SARIF artifact URI: relative, forward slashes, each segment percent-encoded. */
const uriOf = (p: string) => p.replace(/\\/g, '/').replace(/^\.\//, '').split('/').map(encodeURIComponent).join('/');

export function renderSarif(raw: Subject[], rulesRun: readonly RuleInfo[], version: string): string {
  const subjects = sanitizeData(raw);
  const rules = rulesRun.map((rule) => ({
    id: rule.id, name: rule.id.replace(/(^|-)(\w)/g, (_m, _d, ch: string) => ch.toUpperCase()),
    shortDescription: { text: rule.title }, defaultConfiguration: { level: 'error' },
  }));
  const results = subjects.flatMap((w) => w.checks.map((k) => ({
    ruleId: k.id,
    ruleIndex: rulesRun.findIndex((x) => x.id === k.id),
    kind: k.result === 'pass' ? 'pass' : 'fail',
    level: LEVEL[k.result],
    message: { text: `${w.target}: ${k.detail}${k.fix ? `\nFix: ${k.fix}` : ''}` },
    locations: [{
      ...(w.file && w.file !== '-' ? { physicalLocation: { artifactLocation: { uri: uriOf(w.file) }, region: { startLine: w.line ?? 1 } } } : {}),
      logicalLocations: [{ name: w.target, fullyQualifiedName: `${w.namespace}/${w.target}`, kind: 'resource' }],
    }],
    ...(k.fix ? { properties: { fix: k.fix } } : {}),
  })));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'kubectl-dhakacart', semanticVersion: version, informationUri: 'https://github.com/dhakacart/kubectl-dhakacart', rules } },
      results,
      columnKind: 'utf16CodeUnits',
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
