import { usageError } from '../errors';
import { accept, quoted, refuse, type Checked } from './validate';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E)?)$/;

/**
 * A Kubernetes resource quantity ("512Mi", "1G", "1.5Gi", "100m", "1e3") as a number of base
 * units; null if malformed or beyond what a number holds (1e400 is not "Infinity" bytes).
 */
export function parseQuantity(text: string): number | null {
  const m = QUANTITY.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const q = m[2] ? n * BINARY[m[2]]! : m[3] ? n * 10 ** Number(m[3].slice(1)) : n * DECIMAL[m[4] ?? '']!;
  return Number.isFinite(q) ? q : null;
}

/** The API server keeps quantities in an int64 (resource.Quantity): 8Ei is already too many bytes. */
const MAX_BYTES = 2 ** 63 - 1;

/** The binary quantity a slip probably meant: "1GB", "512mb", "1gi", "2 G", "512m", "512" → 1Gi, 512Mi, ... */
function meantBinary(text: string): string | null {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtpe])(?:i?b?)$/i.exec(text);
  if (m) return `${m[1]}${m[2]!.toUpperCase()}i`;
  return /^\d+$/.test(text) && Number(text) < 100_000 ? `${text}Mi` : null;
}

/**
 * A memory quantity given on the command line: positive, finite, with a unit. A bare
 * number is bytes to Kubernetes and a lower-case "m" milli-bytes, both almost always a slip
 * for Mi, so both are refused with the quantity probably meant.
 */
export function checkMemory(text: string, flag: string): Checked<number> {
  const t = text.trim();
  const bad = (why: string, guess: string | null, hint = 'use a Kubernetes quantity such as 512Mi, 1Gi or 1500M') =>
    refuse(`invalid quantity ${quoted(text)} for ${flag}${why ? `: ${why}` : ''}`, guess ? `did you mean ${guess}?` : hint);
  if (t === '') return bad('empty', null);
  const m = QUANTITY.exec(t);
  if (!m) return bad('', meantBinary(t));
  const q = parseQuantity(t);
  if (q === null || q > MAX_BYTES) return bad('too large', null, 'a memory size is below 8Ei');
  if (q <= 0) return bad('must be more than 0', null);
  if (!m[2] && !m[4]) return bad('a memory size needs a unit', meantBinary(t));
  if (m[4] === 'n' || m[4] === 'u' || m[4] === 'm') return bad(`"${m[4]}" is a fraction of a byte`, meantBinary(`${m[1]}M`));
  return accept(q);
}

export function requireQuantity(text: string, flag: string): number {
  const c = checkMemory(text, flag);
  if (!c.ok) throw usageError(c.problem.message, c.problem.hint);
  return c.value;
}

/** Bytes as the shortest exact binary quantity (1073741824 → "1Gi", 805306368 → "768Mi"). */
export function formatBytes(bytes: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const v = bytes / BINARY[unit]!;
    if (v >= 1 && Number.isInteger(v)) return `${v}${unit}`;
  }
  return String(Math.ceil(bytes));
}
