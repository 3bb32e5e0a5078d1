import { usageError } from '../errors';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes resource quantity ("512Mi", "1G", "1.5Gi", "100m", "1e3") as a number of base units; null if malformed. */
export function parseQuantity(text: string): number | null {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E)?)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  if (m[2]) return n * BINARY[m[2]]!;
  if (m[3]) return n * 10 ** Number(m[3].slice(1));
  return n * DECIMAL[m[4] ?? '']!;
}

export function requireQuantity(text: string, flag: string): number {
  const q = parseQuantity(text);
  if (q === null || q <= 0) throw usageError(`invalid quantity "${text}" for ${flag}`, 'use a Kubernetes quantity such as 512Mi, 1Gi or 1500M');
  return q;
}

/** Bytes as the shortest exact binary quantity (1073741824 → "1Gi", 805306368 → "768Mi"). */
export function formatBytes(bytes: number): string {
  for (const unit of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const v = bytes / BINARY[unit]!;
    if (v >= 1 && Number.isInteger(v)) return `${v}${unit}`;
  }
  return String(Math.ceil(bytes));
}
