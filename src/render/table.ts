import stringWidth from 'string-width';
import { sanitizeStyled } from '../security/sanitize';

/** A cell is evidence, not a dump: a longer one is cut (JSON carries up to MAX_TEXT). */
const MAX_CELL = 300;
const GAP = '  ';

const STYLE = /\x1b\[(\d+)m/g;
/**
 * A bold or a colour still open at the end of a cell (cut text, cluster text that carried
 * one) would run into the next columns: it is closed there, as cli-table3 did.
 */
function closeStyles(cell: string): string {
  if (!cell.includes('\x1b[')) return cell;
  let bold = false;
  let color = false;
  for (const [, code] of cell.matchAll(STYLE)) {
    const n = Number(code);
    if (n === 1 || n === 22) bold = n === 1;
    else if (n >= 30 && n <= 39) color = n !== 39;
  }
  return cell + (bold ? '\x1b[22m' : '') + (color ? '\x1b[39m' : '');
}

/** Fit the table in `width` terminal columns by wrapping column `wrap` (the one with prose); the others keep their width. */
export interface TableFit { width: number; wrap: number }

/** Below this a wrapped column is unreadable: the line then overflows rather than wrap one word a line. */
const MIN_WRAP = 20;

/** Splits text at spaces into lines of at most `width` columns; a word longer than that is cut. Plain text: evidence carries no colour. */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && stringWidth(line) + 1 + stringWidth(word) <= width) {
      line += ` ${word}`;
      continue;
    }
    if (line) out.push(line);
    let rest = word;
    while (stringWidth(rest) > width) {
      let cut = '';
      for (const ch of rest) {
        if (cut && stringWidth(cut + ch) > width) break;
        cut += ch;
      }
      out.push(cut);
      rest = rest.slice(cut.length);
    }
    line = rest;
  }
  out.push(line);
  return out;
}

/** Each row whose `wrap` cell is too wide becomes several lines, the other cells on the first. */
function wrapColumn(rows: string[][], fit: TableFit, cols: number, widest: (lines: string[][], i: number) => number): string[][] {
  let others = GAP.length * (cols - 1);
  for (let i = 0; i < cols; i++) if (i !== fit.wrap) others += widest(rows, i);
  const room = Math.max(MIN_WRAP, fit.width - others);
  return rows.flatMap((r) => {
    const cell = r[fit.wrap];
    if (cell === undefined || stringWidth(cell) <= room) return [r];
    return wrapText(cell, room).map((part, k) => r.map((c, i) => (i === fit.wrap ? part : k ? '' : c)));
  });
}

/**
 * A kubectl-looking table: no borders, two spaces between columns, header in capitals,
 * each column as wide as its widest cell (terminal columns: colours take none, East Asian
 * wide characters two). Linear in the cells, where cli-table3's layout, which this replaced
 * with the same output, grew superlinearly (14 s of 16 s for 5,000 pods). Colour comes only
 * from the cells the caller coloured. Every cell is cleaned here, the caller's colours
 * kept, so no table (status, why, a change, rollback's history) prints raw cluster text.
 */
export function renderTable(head: string[], rows: string[][], fit?: TableFit): string {
  const cells = [head, ...rows].map((r) => r.map((cell) => closeStyles(sanitizeStyled(cell, MAX_CELL))));
  const cols = Math.max(0, ...cells.map((r) => r.length));
  // An empty column still takes one space, as in cli-table3.
  const widest = (lines: string[][], i: number) => Math.max(1, ...lines.map((r) => stringWidth(r[i] ?? '')));
  const lines = fit ? wrapColumn(cells, fit, cols, widest) : cells;
  const widths = lines.map((r) => r.map((c) => stringWidth(c)));
  const colWidth = Array.from({ length: cols }, (_, i) => widest(lines, i));
  let out = '';
  lines.forEach((r, y) => {
    let line = '';
    for (let i = 0; i < cols; i++) line += (i ? GAP : '') + (r[i] ?? '') + ' '.repeat(colWidth[i]! - (widths[y]![i] ?? 0));
    out += line.trimEnd() + '\n';
  });
  return out;
}
