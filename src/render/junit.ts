/**
 * `check -o junit`: JUnit XML as CI systems read it (GitLab, Jenkins, Azure, CircleCI): a
 * testsuite per workload, a testcase per check. A result at or above --fail-on is a
 * <failure>; a warning below it passes, with the warning in <system-out>.
 */
import { sanitizeData } from '../security/sanitize';
import type { Result, Subject } from './sarif';

/** Text for an XML attribute or element: the five entities escaped, and no character XML 1.0 forbids. */
export function xmlEscape(s: string): string {
  return s.replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `fails`: whether a result fails the run (check's --fail-on). */
export function renderJunit(raw: Subject[], fails: (r: Result) => boolean): string {
  const subjects = sanitizeData(raw);
  const failing = (k: { result: Result }) => fails(k.result);
  const suites = subjects.map((w) => {
    const cases = w.checks.map((k) => {
      const open = `    <testcase classname="${xmlEscape(w.target)}" name="${xmlEscape(`${k.id}: ${k.title}`)}" file="${xmlEscape(w.file ?? '')}">`;
      const body = `${k.detail}${k.fix ? `\nfix: ${k.fix}` : ''}`;
      if (failing(k)) return `${open}\n      <failure type="${k.result}" message="${xmlEscape(k.detail)}">${xmlEscape(body)}</failure>\n    </testcase>`;
      if (k.result === 'warn') return `${open}\n      <system-out>${xmlEscape(`warning: ${body}`)}</system-out>\n    </testcase>`;
      return `${open}</testcase>`;
    });
    const failures = w.checks.filter(failing).length;
    return `  <testsuite name="${xmlEscape(`${w.namespace}/${w.target}`)}" tests="${w.checks.length}" failures="${failures}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const total = subjects.reduce((n, w) => n + w.checks.length, 0);
  const failures = subjects.reduce((n, w) => n + w.checks.filter(failing).length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kubectl dhakacart check" tests="${total}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}
