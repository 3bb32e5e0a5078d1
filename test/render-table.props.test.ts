// The column writer (src/render/table.ts) prints what cli-table3, which it replaced, printed
// with the same options: checked against cli-table3 itself on generated tables.
import Table from 'cli-table3';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderTable } from '../src/render/table';
import { sanitizeStyled } from '../src/security/sanitize';

const NO_BORDER = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
  'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
};
/** The former renderTable, cells cleaned the same way. */
function cliTable3(head: string[], rows: string[][]): string {
  const clean = (c: string) => sanitizeStyled(c, 300);
  const t = new Table({ head: head.map(clean), chars: NO_BORDER, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true } });
  t.push(...rows.map((r) => r.map(clean)));
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n') + '\n';
}

const style = fc.constantFrom('\x1b[1m', '\x1b[22m', '\x1b[31m', '\x1b[32m', '\x1b[33m', '\x1b[39m', '\x1b[2m');
/** Cell text as the commands build it: names, wide and combining characters, the plugin's colours, spaces. */
const cell = fc.array(fc.oneof(
  fc.stringMatching(/^[a-z0-9.\-/()<> ]{0,12}$/),
  fc.constantFrom('古', 'ট', 'é', 'e\u0301', '😀', 'ｶ', '\t', ' '),
  style,
  fc.string({ unit: 'grapheme', maxLength: 4 }),
), { maxLength: 6 }).map((xs) => xs.join(''));

test('the same text as cli-table3 for any rectangular table', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 6 }).chain((cols) => fc.tuple(
    fc.array(cell, { minLength: cols, maxLength: cols }),
    fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { maxLength: 8 }),
  )), ([head, rows]) => {
    assert.is(renderTable(head, rows), cliTable3(head, rows));
  }), { numRuns: 2000 });
});

test.run();
