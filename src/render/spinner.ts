import type { Io } from '../io';
import type { OutputFormat } from './structured';

export interface Spinner { stop(): void; update(text: string): void }

const NONE: Spinner = { stop() {}, update() {} };

/**
 * A spinner on stderr while the cluster is asked, only on a terminal and never with
 * -o json|yaml (CONTRACT.md). ora is loaded only when it will actually spin.
 */
export async function startSpinner(io: Io, format: OutputFormat, text: string): Promise<Spinner> {
  if (!io.interactive || format === 'json' || format === 'yaml') return NONE;
  const { default: ora } = await import('ora');
  const s = ora({ text, stream: process.stderr, color: io.colors.enabled ? 'cyan' : false as never }).start();
  return { stop: () => s.stop(), update: (t) => { s.text = t; } };
}
