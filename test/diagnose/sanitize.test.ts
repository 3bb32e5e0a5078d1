import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { errorLines } from '../../src/diagnose/logLines';
import { sanitizeLogLine } from '../../src/security/sanitize';
import { backendWorld, crashLooping, event, logs, waitingStatus, worldSnapshot } from './fixtures';

test('ANSI colours, cursor moves and OSC (BEL and ST terminated) are stripped', () => {
  assert.is(sanitizeLogLine('\x1b[31;1mERROR\x1b[0m boom\x1b[2K'), 'ERROR boom');
  assert.is(sanitizeLogLine('a\x1b]0;pwned title\x07b'), 'ab');
  assert.is(sanitizeLogLine('a\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\b'), 'alinkb');
  assert.is(sanitizeLogLine('bell\x07 back\x08space\r nul\x00 c1\x9b31m x\x85'), 'bell backspace nul c1 x');
  assert.is(sanitizeLogLine('keeps\ttabs'), 'keeps\ttabs');
  assert.is(sanitizeLogLine('cut off \x1b]0;never ends'), 'cut off');
});

test('credentials are masked, the rest of the line kept', () => {
  assert.is(sanitizeLogLine('connecting to postgres://app:s3cret@db:5432/x'), 'connecting to postgres://app:***@db:5432/x');
  assert.is(sanitizeLogLine('login password=hunter2 user=app'), 'login password=*** user=app');
  assert.is(sanitizeLogLine('DB_PASSWORD: hunter2'), 'DB_PASSWORD: ***');
  assert.is(sanitizeLogLine('{"passwd":"hunter2","user":"app"}'), '{"passwd":"***","user":"app"}');
  assert.is(sanitizeLogLine('GET /x?token=abc123&page=2'), 'GET /x?token=***&page=2');
  assert.is(sanitizeLogLine('secret=s api_key=k1 apikey: k2'), 'secret=*** api_key=*** apikey: ***');
  assert.is(sanitizeLogLine('Authorization: Bearer abc.def-ghi'), 'Authorization: Bearer ***');
  assert.is(sanitizeLogLine('jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU ok'), 'jwt *** ok');
});

test('kubelet texts that merely mention secrets survive', () => {
  const s = 'MountVolume.SetUp failed for volume "secret-vol" : secret "db-credentials" not found';
  assert.is(sanitizeLogLine(s), s);
  assert.is(sanitizeLogLine('password authentication failed for user "app"'), 'password authentication failed for user "app"');
});

test('sanitizing twice changes nothing', () => {
  const once = sanitizeLogLine('postgres://app:s3cret@db/x password=hunter2 Bearer abcdefgh');
  assert.is(sanitizeLogLine(once), once);
});

test('errorLines: last N error lines of the previous log, else of the current one', () => {
  assert.equal(errorLines(logs('ok\nError: a\nfine\npanic: b\nFATAL c\nException d', 'Error: now'), 3), { lines: ['panic: b', 'FATAL c', 'Exception d'], from: 'previous' });
  assert.equal(errorLines(logs(null, 'boot\nerror: only here'), 5), { lines: ['error: only here'], from: 'current' });
  assert.equal(errorLines(logs('nothing bad', 'still fine'), 5), { lines: [], from: null });
  assert.equal(errorLines(logs('Error: x'), 0), { lines: [], from: null });
});

test('no diagnosis carries a control character or a logged credential, whatever rule speaks', () => {
  const evil = '\x1b]0;owned\x07\x1b[31mError: Missing required environment variable DB_URL=postgres://app:s3cret@db/x password=hunter2\x1b[0m';
  const cases = [
    backendWorld({ statuses: [crashLooping('backend', { exitCode: 1, message: evil })] }),
    backendWorld({ statuses: [waitingStatus('backend', 'CreateContainerConfigError', evil)] }),
    backendWorld({ statuses: [crashLooping('backend', { exitCode: 137, reason: 'OOMKilled' })] }),
  ];
  for (const w of cases) {
    const s = worldSnapshot(w, {
      logs: { [w.pod.metadata.name]: { backend: logs(`${evil}\nServer started in 9s ${evil}\nJavaScript heap out of memory ${evil}`, evil) } },
      events: [event(w.pod, { reason: 'Failed', message: evil, container: 'backend' })],
    });
    const out = JSON.stringify(diagnosePod(s, w.pod.metadata.name));
    assert.not.match(out, /\\u00(1b|07)|s3cret|hunter2/, out);
  }
});

test.run();
