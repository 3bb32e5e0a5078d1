import Table from 'cli-table3';
import { sanitizeStyled } from '../security/sanitize';

/** A cell is evidence, not a dump: a longer one is cut (JSON carries up to MAX_TEXT). */
const MAX_CELL = 300;

/**
 * A kubectl-looking table: no borders, two spaces between columns, header in capitals.
 * cli-table3 colours headers even off a terminal, so style is always set explicitly and
 * colour comes only from the cells the caller coloured. Every cell is cleaned here, the
 * caller's colours kept, so no table (status, why, a change, rollback's history) prints raw
 * cluster text.
 */
export function renderTable(head: string[], rows: string[][]): string {
  const t = new Table({
    head: head.map((h) => sanitizeStyled(h, MAX_CELL)),
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
  });
  t.push(...rows.map((r) => r.map((cell) => sanitizeStyled(cell, MAX_CELL))));
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n') + '\n';
}
