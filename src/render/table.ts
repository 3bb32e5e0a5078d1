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

/**
 * A kubectl-looking table: no borders, two spaces between columns, header in capitals,
 * each column as wide as its widest cell (terminal columns: colours take none, East Asian
 * wide characters two). Linear in the cells, where cli-table3's layout, which this replaced
 * with the same output, grew superlinearly (14 s of 16 s for 5,000 pods). Colour comes only
 * from the cells the caller coloured. Every cell is cleaned here, the caller's colours
 * kept, so no table (status, why, a change, rollback's history) prints raw cluster text.
 */
export function renderTable(head: string[], rows: string[][]): string {
  const lines = [head, ...rows].map((r) => r.map((cell) => closeStyles(sanitizeStyled(cell, MAX_CELL))));
  const widths = lines.map((r) => r.map((c) => stringWidth(c)));
  const cols = Math.max(0, ...lines.map((r) => r.length));
  // An empty column still takes one space, as in cli-table3.
  const colWidth = Array.from({ length: cols }, (_, i) => Math.max(1, ...widths.map((w) => w[i] ?? 0)));
  let out = '';
  lines.forEach((r, y) => {
    let line = '';
    for (let i = 0; i < cols; i++) line += (i ? GAP : '') + (r[i] ?? '') + ' '.repeat(colWidth[i]! - (widths[y]![i] ?? 0));
    out += line.trimEnd() + '\n';
  });
  return out;
}
