import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeExit } from '../../src/diagnose/exitCode';
import { diagnosePod } from '../../src/diagnose/index';
import { backendWorld, crashLooping, logs, waitingStatus, worldSnapshot } from './fixtures';

test('exit codes decode to signals and meanings', () => {
  assert.is(decodeExit({ exitCode: 137 }).signal, 9);
  assert.match(decodeExit({ exitCode: 137 }).meaning, /^SIGKILL: /);
  assert.match(decodeExit({ exitCode: 139 }).meaning, /^SIGSEGV: /);
  assert.is(decodeExit({ exitCode: 143 }).signal, 15);
  assert.is(decodeExit({ exitCode: 139 }).signal, 11);
  assert.is(decodeExit({ exitCode: 134 }).signal, 6);
  assert.is(decodeExit({ exitCode: 1 }).meaning, 'application error');
  assert.match(decodeExit({ exitCode: 126 }).meaning, /not executable/);
  assert.is(decodeExit({ exitCode: 127 }).meaning, 'command not found');
  assert.match(decodeExit({ exitCode: 128 }).meaning, /could not start/);
  assert.is(decodeExit({ exitCode: 0, signal: 9 }).signal, 9);
});

test('SIGSEGV: crash confirmed with the signal', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 139 })] });
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.is(d.cause, 'crash');
  assert.is(d.confidence, 'confirmed');
  assert.match(d.summary, /exits with code 139 \(SIGSEGV: segmentation fault/);
  assert.is(d.fix, null, 'no recent rollout: nothing to roll back to');
});

test('exit 1 shows the last error lines of the previous log, sanitized', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 1 })] });
  const prev = ['info: boot', 'Error: one', 'warn: x', 'TypeError: cannot read properties of undefined', '\x1b[31mFATAL\x1b[0m token=abcd1234 exiting', 'bye'].join('\n');
  const d = diagnosePod(worldSnapshot(w, { logs: { [w.pod.metadata.name]: { backend: logs(prev, 'Error: current') } } }), w.pod.metadata.name, { logLines: 2 });
  const lines = d.evidence.filter((e) => e.source === 'log').map((e) => e.detail);
  assert.equal(lines, ['previous log: TypeError: cannot read properties of undefined', 'previous log: FATAL token=*** exiting']);
  assert.match(d.summary, /Log headline \(fatal\): "FATAL token=\*\*\* exiting"/);
});

test('command not found at start: the runtime cannot start it', () => {
  const w = backendWorld({ statuses: [waitingStatus('backend', 'RunContainerError', 'exec: "node": executable file not found in $PATH: unknown', 2)] });
  const d = diagnosePod(worldSnapshot(w), w.pod.metadata.name);
  assert.is(d.cause, 'crash');
  assert.match(d.summary, /runtime cannot start container backend \(RunContainerError\): exec: "node": executable file not found/);
});

test('exit 0 in a restart loop: it finishes instead of serving', () => {
  const w = backendWorld({ statuses: [crashLooping('backend', { exitCode: 0 })] });
  assert.match(diagnosePod(worldSnapshot(w), w.pod.metadata.name).summary, /exits with code 0/);
});

test.run();
