import Table from 'cli-table3';

/**
 * A kubectl-looking table: no borders, two spaces between columns, header in capitals.
 * cli-table3 colours headers even off a terminal, so style is always set explicitly and
 * colour comes only from the cells the caller coloured.
 */
export function renderTable(head: string[], rows: string[][]): string {
  const t = new Table({
    head,
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
      'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
  });
  t.push(...rows);
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n') + '\n';
}
