// test/helpers/binary.ts finds the kubectl the tests compare with on PATH, as a shell would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findKubectl } from './helpers/binary';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-kubectl-lookup-'));
const debian = fs.existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : null;

function dirWith(name: string, mode: number | 'dir'): string {
  const d = fs.mkdtempSync(path.join(tmp, 'bin-'));
  if (mode === 'dir') fs.mkdirSync(path.join(d, name));
  else fs.writeFileSync(path.join(d, name), '#!/bin/sh\n', { mode });
  return d;
}

test('the first executable kubectl on PATH wins; not executable, a directory or an empty entry is passed over', () => {
  const plain = dirWith('kubectl', 0o644);
  const folder = dirWith('kubectl', 'dir');
  const first = dirWith('kubectl', 0o755);
  const second = dirWith('kubectl', 0o755);
  assert.is(findKubectl(['', plain, folder, first, second].join(path.delimiter)), path.join(first, 'kubectl'));
});

test('no kubectl on PATH: the Debian package\'s /usr/bin/kubectl if there is one, else null', () => {
  assert.is(findKubectl(dirWith('other', 0o755)), debian);
  assert.is(findKubectl(''), debian);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
test.run();
