import type { Io } from '../io';
import { sanitizeText } from '../security/sanitize';
import { isCiFormat, type OutputFormat } from './structured';

export interface Spinner { stop(): void; update(text: string): void }

const NONE: Spinner = { stop() {}, update() {} };

/**
 * A spinner on stderr while the cluster is asked, only on a terminal and never with
 * -o json|yaml (CONTRACT.md). ora is loaded only when it will actually spin.
 */
export async function startSpinner(io: Io, format: OutputFormat, text: string): Promise<Spinner> {
  // A terminal that reports no width (a bare pty, some CI runners) sends ora into an
  // endless line-clearing loop: no spinner there.
  if (!io.interactive || format === 'json' || format === 'yaml' || isCiFormat(format) || !(process.stderr.columns > 0)) return NONE;
  const { default: ora } = await import('ora');
  // ora writes to stderr itself, past io.err's filter: its text is cleaned here.
  const s = ora({ text: sanitizeText(text), stream: process.stderr, color: io.colors.enabled ? 'cyan' : false as never }).start();
  return { stop: () => s.stop(), update: (t) => { s.text = sanitizeText(t); } };
}
