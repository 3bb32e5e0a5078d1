import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnosePod } from '../../src/diagnose/index';
import { errorLines } from '../../src/diagnose/logLines';
import { redactSecrets } from '../../src/security/redact';
import { sanitizeErrorText, sanitizeLogLine, sanitizeStyled, sanitizeText, terminalSafe } from '../../src/security/sanitize';
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

test('bidi controls, zero-width characters and the BOM are removed', () => {
  assert.is(sanitizeText('\ufeffgpj.\u202eexe \u2066iso\u2069 zero\u200bwidth \u200e\u200f\u061c\u180e\u2060x'), 'gpj.exe iso zerowidth x');
});

test('cloud keys, PEM blocks, DSNs and SAS signatures are masked', () => {
  assert.is(sanitizeText('id AKIAIOSFODNN7EXAMPLE and ASIAIOSFODNN7EXAMPLE'), 'id *** and ***');
  assert.is(sanitizeText('aws_secret_access_key=wJalrXUtnFEMI/K7MDENG'), 'aws_secret_access_key=***');
  assert.is(sanitizeText('gcp AIzaSyD-1234567890abcdefghijklmnopqrstu ok'), 'gcp *** ok');
  assert.is(sanitizeText('DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=q1w2e3r4==;EndpointSuffix=core.windows.net'),
    'DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=***;EndpointSuffix=core.windows.net');
  assert.is(sanitizeText('https://shop.blob.core.windows.net/c?sv=2022-11-02&sig=abc%2Bdef&se=x'), 'https://shop.blob.core.windows.net/c?sv=2022-11-02&sig=***&se=x');
  assert.is(sanitizeText('dsn app:pw9@tcp(db:3306)/shop'), 'dsn app:***@tcp(db:3306)/shop');
  assert.is(sanitizeText('key -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- end'), 'key *** end');
  assert.is(sanitizeText('cut -----BEGIN PRIVATE KEY-----\nMIIEow'), 'cut ***');
  assert.is(sanitizeText('https://user:pass@api.example:6443'), 'https://user:***@api.example:6443');
});

test('an error report keeps its lines, each cleaned and bounded', () => {
  assert.is(sanitizeErrorText('error: denied \x1b]52;c;eA==\x07https://u:pw@h\nhint: x\u202ey\n'), 'error: denied https://u:***@h\nhint: xy\n');
  assert.is(sanitizeErrorText(`${'a'.repeat(2000)}\nb`).split('\n')[0]!.length, 1000);
});

test('length is bounded with an ellipsis; a newline becomes a space', () => {
  assert.is(sanitizeText('abcdefghij', 5), 'abcd…');
  assert.is(sanitizeText('a\nb\r\nc'), 'a b c');
  assert.is(sanitizeText('x'.repeat(5000)).length, 1000);
});

test('styled text keeps the plugin\'s styles only; without colour no escape at all', () => {
  assert.is(sanitizeStyled('\x1b[31m\x1b[1mCrashLoop\x1b[22m\x1b[39m'), '\x1b[31m\x1b[1mCrashLoop\x1b[22m\x1b[39m');
  assert.is(sanitizeStyled('\x1b[31mred\x1b]52;c;eA==\x07 password=x\x1b[39m'), '\x1b[31mred password=***\x1b[39m');
  assert.is(terminalSafe('\x1b[31mred\x1b[39m \x1b[2J\ttab\n', true), '\x1b[31mred\x1b[39m \ttab\n');
  assert.is(terminalSafe('\x1b[31mred\x1b[39m\n', false), 'red\n');
});

test('a snapshot loses secret env values by name and by content, in every container list, args and JSON annotations', () => {
  const env = [
    { name: 'DB_HOST', value: 'postgres-service' }, { name: 'DB_PORT', value: '5432' },
    { name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'STRIPE_API_KEY', value: 'sk_live_1' }, { name: 'SESSION_SECRET', value: 's' },
    { name: 'DATABASE_URL', value: 'postgres://app:pw@db:5432/x' }, { name: 'REDIS_URL', value: 'redis://redis-service:6379' },
    { name: 'NOTE', value: 'token=abc' }, { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } },
  ];
  const pod = { metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ spec: { containers: [{ env }] } }) } },
    spec: { initContainers: [{ name: 'i', env, args: ['--password', 'pw1', '--verbose', '--api-token=t0k'] }], containers: [{ name: 'c', env, command: ['run', '--db-secret', 'pw2'] }] } };
  const out = redactSecrets({ pods: [pod], logs: { p: { c: { previous: { text: 'ok\n\x1b[31mError\x1b[0m password=hunter2\nbye' } } } } });
  const text = JSON.stringify(out);
  for (const s of ['hunter2', 'sk_live_1', '"s"', ':pw@', 'abc', 'pw1', 'pw2', 't0k', '\\u001b']) assert.not.ok(text.includes(s), s);
  const values = (list: { name: string; value?: string }[]) => Object.fromEntries(list.map((e) => [e.name, e.value]));
  const v = values(out.pods[0]!.spec.containers[0]!.env);
  assert.equal(v, { DB_HOST: 'postgres-service', DB_PORT: '5432', DB_PASSWORD: '***', STRIPE_API_KEY: '***', SESSION_SECRET: '***',
    DATABASE_URL: 'postgres://app:***@db:5432/x', REDIS_URL: 'redis://redis-service:6379', NOTE: 'token=***', FROM_SECRET: undefined });
  assert.equal(out.pods[0]!.spec.containers[0]!.env[8], env[8], 'references are kept: the diagnosis checks them');
  assert.equal(out.pods[0]!.spec.initContainers[0]!.args, ['--password', '***', '--verbose', '--api-token=***']);
  assert.is(out.logs.p.c.previous.text, 'ok\nError password=***\nbye');
  const applied = JSON.parse(out.pods[0]!.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
  assert.is(values(applied.spec.containers[0].env).DB_PASSWORD, '***');
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

test('errorLines: last N error lines of the previous log, else of the current one, else a plain tail', () => {
  const pick = ({ lines, from, plain }: ReturnType<typeof errorLines>) => ({ lines, from, plain });
  assert.equal(pick(errorLines(logs('ok\nError: a\nfine\npanic: b\nFATAL c\nException d', 'Error: now'), 3)), { lines: ['panic: b', 'FATAL c', 'Exception d'], from: 'previous', plain: false });
  assert.equal(pick(errorLines(logs(null, 'boot\nerror: only here'), 5)), { lines: ['error: only here'], from: 'current', plain: false });
  assert.equal(pick(errorLines(logs('nothing bad', 'still fine'), 5)), { lines: ['nothing bad'], from: 'previous', plain: true });
  assert.equal(pick(errorLines(logs(null, null), 5)), { lines: [], from: null, plain: false });
  assert.equal(pick(errorLines(logs('Error: x'), 0)), { lines: [], from: null, plain: false });
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
