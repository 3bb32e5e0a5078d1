import { accept, quoted, refuse, type Checked } from '../kube/validate';

/** Which kubeconfig contexts a fleet run asks: named (`--context a,b`), by pattern, or all of them. */
export type FleetSelection =
  | { kind: 'list'; names: string[] }
  | { kind: 'matching'; pattern: string; regex: RegExp }
  | { kind: 'all' };

/** How the selection was written, for messages. */
export function describeSelection(s: FleetSelection): string {
  return s.kind === 'list' ? `--context ${s.names.join(',')}` : s.kind === 'matching' ? `--contexts-matching ${quoted(s.pattern)}` : '--all-contexts';
}

/**
 * The contexts to ask, in the kubeconfig's order for a pattern or all, in the order given
 * for a list (each once). A name the kubeconfig lacks, or a pattern that matches nothing, is
 * refused before anything is sent: a typo must not pass for a cluster that did not answer.
 */
export function chooseContexts(available: readonly string[], s: FleetSelection, where: string): Checked<string[]> {
  const known = available.length ? available.join(', ') : '(none)';
  if (s.kind === 'list') {
    const missing = s.names.filter((n) => !available.includes(n));
    if (missing.length) {
      return refuse(`context${missing.length === 1 ? '' : 's'} ${missing.map((n) => `"${n}"`).join(', ')} not found in ${where}`, `contexts are: ${known}`);
    }
    return accept([...new Set(s.names)]);
  }
  const chosen = s.kind === 'all' ? [...available] : available.filter((n) => s.regex.test(n));
  if (!chosen.length) {
    return refuse(s.kind === 'all' ? `${where} defines no contexts` : `${describeSelection(s)} matches none of the contexts in ${where}`, `contexts are: ${known}`);
  }
  return accept(chosen);
}
