/**
 * The command as typed, for kubernetes.io/change-cause. Arguments are flags and names
 * only (no command takes a secret), so recording them verbatim is safe.
 */
export function commandLine(argv: string[] = process.argv.slice(2)): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return ['kubectl', 'dhakacart', ...argv.map(quote)].join(' ');
}
