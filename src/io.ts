/**
 * Where a command's output goes, and the terminal facts it may depend on. Commands write
 * through this instead of console.log, so tests and main decide where bytes land, and
 * every byte passes terminalSafe: whatever a renderer forgot, no control sequence but the
 * plugin's own colours reaches the terminal.
 */
import { makeColors, type Colors } from './render/color';
import { terminalSafe } from './security/sanitize';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stdout is a terminal: tables may colour, spinners may spin (on stderr). */
  interactive: boolean;
  /** stdin is a terminal: a confirmation prompt can be answered. */
  canPrompt: boolean;
  colors: Colors;
  /**
   * The width prose tables wrap to: COLUMNS when set, else the terminal's. Unset when
   * stdout is piped without COLUMNS, so scripts that parse the output get whole lines.
   */
  columns?: number;
  now(): number;
  /** Asks a yes/no question on the terminal; only called when canPrompt. */
  confirm(question: string): Promise<boolean>;
}

/** COLUMNS as a shell sets it (a positive whole number), else the terminal's width. */
export function terminalColumns(env: NodeJS.ProcessEnv, stdout: { isTTY?: boolean; columns?: number }): number | undefined {
  const fromEnv = /^\d+$/.test(env.COLUMNS ?? '') ? Number(env.COLUMNS) : 0;
  if (fromEnv > 0) return fromEnv;
  return stdout.isTTY && stdout.columns ? stdout.columns : undefined;
}

export function processIo(noColor: boolean): Io {
  const tty = !!process.stdout.isTTY;
  const color = tty && !noColor && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '');
  return {
    out: (t) => void process.stdout.write(terminalSafe(t, color)),
    err: (t) => void process.stderr.write(terminalSafe(t, color)),
    interactive: tty && !!process.stderr.isTTY,
    canPrompt: !!process.stdin.isTTY && tty,
    colors: makeColors(color),
    columns: terminalColumns(process.env, process.stdout),
    now: () => Date.now(),
    confirm: async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`${terminalSafe(question, color)} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    },
  };
}
