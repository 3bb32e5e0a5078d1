// Tables that fit a terminal: the prose column wraps to the width, the others keep theirs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import stringWidth from 'string-width';
import { terminalColumns } from '../src/io';
import { renderTable, wrapText } from '../src/render/table';

const detail = 'container backend was OOMKilled (exit 137) 7 times; its memory limit is 256Mi and the last run used all of it before it was killed';

test('renderTable with a fit: every line within 80 columns, the wrapped cell whole when joined', () => {
  const out = renderTable(['SOURCE', 'EVIDENCE', 'AGE'], [['status', detail, '4m'], ['event', 'short', '1m']], { width: 80, wrap: 1 });
  const lines = out.trimEnd().split('\n');
  assert.ok(lines.every((l) => stringWidth(l) <= 80), out);
  assert.ok(lines.length > 3, out);
  assert.ok(lines[1]!.startsWith('status  ') && lines[1]!.endsWith('4m'), out);
  assert.equal(lines.slice(1, -1).map((l) => l.slice(8).replace(/ +4m$/, '').trim()).join(' '), detail);
  assert.is(renderTable(['A', 'B'], [['x', detail]]).split('\n')[1], `x  ${detail}`);
});

test('wrapText cuts a word longer than the width', () => {
  assert.equal(wrapText('a'.repeat(25) + ' b', 10), ['a'.repeat(10), 'a'.repeat(10), 'aaaaa b']);
});

test('terminalColumns: COLUMNS, else the TTY, else none (a pipe keeps whole lines)', () => {
  assert.is(terminalColumns({ COLUMNS: '80' }, { isTTY: false }), 80);
  assert.is(terminalColumns({}, { isTTY: true, columns: 120 }), 120);
  assert.is(terminalColumns({}, { isTTY: false, columns: 120 }), undefined);
  assert.is(terminalColumns({ COLUMNS: 'x' }, {}), undefined);
});

test.run();
