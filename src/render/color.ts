import { sanitizeStyled } from '../security/sanitize';

/**
 * Colour is one decision per run (see io.ts); these helpers only apply it. What they
 * colour is often cluster text, so they clean it first: the style wraps clean text, and
 * an inner style of our own (red(bold(x))) survives.
 */
export interface Colors {
  enabled: boolean;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

const wrap = (on: boolean, open: number, close: number) => (raw: string) => {
  const s = sanitizeStyled(raw);
  return on && s ? `\x1b[${open}m${s}\x1b[${close}m` : s;
};

export function makeColors(enabled: boolean): Colors {
  return {
    enabled,
    red: wrap(enabled, 31, 39),
    yellow: wrap(enabled, 33, 39),
    green: wrap(enabled, 32, 39),
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
  };
}
