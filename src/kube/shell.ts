/**
 * One word for a POSIX shell, as it would be typed: left bare when it holds only characters
 * no shell treats specially, else in single quotes (a quote inside becomes '\''), so the
 * command can be copied and run as shown.
 */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
