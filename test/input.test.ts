// Bad input through the binary: exit 2, the exact `error:`/`hint:` lines, every problem at
// once, and nothing sent to the API server. Then internal errors (exit 70) in-process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../src/cli';
import { formatFailure, usageError } from '../src/errors';
import { processIo, type Io } from '../src/io';
import { run } from './helpers/binary';
import { startSim, type Sim } from './sim/index';

let sim: Sim;
test.before(async () => { sim = await startSim({ scenario: 'crashloop-oom' }); });
test.after(async () => { await sim.close(); });

const USE = 'use a number with a unit, for example 30s, 1m or 1h30m';
const SEL = 'use key=value, key!=value, key in (a,b), key or !key, joined by commas';
const NAME = (what: string) => `a ${what} name is lower-case letters, digits and '-' or '.', starting and ending with a letter or digit`;

/** args → the whole stderr expected. */
const CASES: [string[], string][] = [
  [['fix', 'oom', '--memory', '1e400'], 'error: invalid quantity "1e400" for --memory: too large\nhint: a memory size is below 8Ei\n'],
  [['fix', 'oom', '--memory', ''], 'error: invalid quantity "" for --memory: empty\nhint: use a Kubernetes quantity such as 512Mi, 1Gi or 1500M\n'],
  [['fix', 'oom', '--memory', '1GB'], 'error: invalid quantity "1GB" for --memory\nhint: did you mean 1Gi?\n'],
  [['fix', 'oom', '--memory', '512mb'], 'error: invalid quantity "512mb" for --memory\nhint: did you mean 512Mi?\n'],
  [['fix', 'oom', '--memory', '512'], 'error: invalid quantity "512" for --memory: a memory size needs a unit\nhint: did you mean 512Mi?\n'],
  [['fix', 'oom', '--memory', '512m'], 'error: invalid quantity "512m" for --memory: "m" is a fraction of a byte\nhint: did you mean 512Mi?\n'],
  [['fix', 'oom', '--memory', '-1Gi'], 'error: invalid quantity "-1Gi" for --memory: must be more than 0\nhint: use a Kubernetes quantity such as 512Mi, 1Gi or 1500M\n'],
  [['fix', 'oom', '--memory', '16Ei'], 'error: invalid quantity "16Ei" for --memory: too large\nhint: a memory size is below 8Ei\n'],
  [['fix', 'oom', '--memory-request', 'lots'], 'error: invalid quantity "lots" for --memory-request\nhint: use a Kubernetes quantity such as 512Mi, 1Gi or 1500M\n'],
  [['fix', 'probe', '--initial-delay', 'soon'], `error: invalid value "soon" for --initial-delay: not a duration\nhint: ${USE}\n`],
  [['fix', 'probe', '--probe-timeout', '1500ms'], 'error: invalid value "1500ms" for --probe-timeout: probes count whole seconds\nhint: use 10, 10s or 1m\n'],
  [['fix', 'probe', '--period', '0'], 'error: invalid value "0" for --period: must be at least 1s\n'],
  [['fix', 'probe', '--failure-threshold', '0'], 'error: invalid value "0" for --failure-threshold: must be at least 1\n'],
  [['fix', 'probe', '--failure-threshold', '2.5'], 'error: invalid value "2.5" for --failure-threshold: not a whole number\nhint: use a whole number from 1 to 2147483647\n'],
  [['fix', 'oom', '--timeout', '5x'], `error: invalid value "5x" for --timeout: not a duration\nhint: ${USE}\n`],
  [['fix', 'oom', '--timeout', '-5s'], `error: invalid value "-5s" for --timeout: must not be negative\nhint: ${USE}\n`],
  [['fix', 'oom', '--timeout', '1000h'], `error: invalid value "1000h" for --timeout: too long (at most 596h)\nhint: ${USE}\n`],
  [['fix', 'oom', 'deployment/Backend'], 'error: invalid deployment name "Backend"\nhint: did you mean backend?\n'],
  [['fix', 'oom', 'svc/backend'], 'error: unsupported target "svc/backend"\nhint: use deployment/NAME or a pod name\n'],
  [['fix', 'oom', `deployment/${'a'.repeat(254)}`], `error: invalid deployment name "${'a'.repeat(80)}...": longer than 253 characters\n`],
  [['fix', 'oom', '-c', 'back_end'], "error: invalid container name \"back_end\"\nhint: a container name is lower-case letters, digits and '-', starting and ending with a letter or digit\n"],
  [['fix', 'image', '--to', 'nginx latest'], 'error: invalid image "nginx latest" for --to\nhint: use IMAGE:TAG, IMAGE@sha256:DIGEST or a TAG alone\n'],
  [['emergency', 'resume', '--replicas', 'three'], 'error: invalid value "three" for --replicas: not a whole number\nhint: use a whole number from 0 to 2147483647\n'],
  [['emergency', 'resume', '--replicas', '-1'], 'error: invalid value "-1" for --replicas: must be at least 0\n'],
  [['emergency', 'image', '--tag=-bad'], 'error: invalid image tag "-bad" for --tag\nhint: a tag is up to 128 letters, digits, _, . and -, not starting with . or -\n'],
  [['rollback', '--to-revision', 'abc'], 'error: invalid value "abc" for --to-revision: not a whole number\nhint: use a whole number from 0 to 9007199254740991\n'],
  [['rollback', '--to-revision', '99999999999999999999'], 'error: invalid value "99999999999999999999" for --to-revision: must be at most 9007199254740991\n'],
  [['why', '--logs', '-1'], 'error: invalid value "-1" for --logs: must be at least 0\n'],
  [['why', '--logs', 'all'], 'error: invalid value "all" for --logs: not a whole number\nhint: use a whole number from 0 to 10000\n'],
  [['why', 'Pod_1'], `error: invalid pod name "Pod_1"\nhint: ${NAME('pod')}\n`],
  [['why', 'evil\u202epod'], `error: invalid pod name "evil?pod"\nhint: ${NAME('pod')}\n`],
  [['status', '-l', 'app=a b'], `error: invalid label selector "app=a b" for --selector: cannot parse "app=a b"\nhint: ${SEL}\n`],
  [['status', '-l', 'app in ()'], `error: invalid label selector "app in ()" for --selector: for 'in', the set of values can't be empty\nhint: ${SEL}\n`],
  [['status', '-l', 'app in (a'], `error: invalid label selector "app in (a" for --selector: unbalanced parentheses\nhint: ${SEL}\n`],
  [['status', '--selector=-app=x'], `error: invalid label selector "-app=x" for --selector: invalid label key "-app": at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit\nhint: ${SEL}\n`],
  [['status', '-l', `app=${'v'.repeat(64)}`], `error: invalid label selector "app=${'v'.repeat(64)}" for --selector: invalid label value "${'v'.repeat(64)}": at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit\nhint: ${SEL}\n`],
  [['status', '-l', 'Example.com/app=x'], `error: invalid label selector "Example.com/app=x" for --selector: the prefix of label key "Example.com/app" must be a DNS subdomain (lower case, at most 253 characters)\nhint: ${SEL}\n`],
  [['status', '-n', 'Prod'], 'error: invalid namespace name "Prod"\nhint: did you mean prod?\n'],
  [['status', '--request-timeout', 'soon'], `error: invalid value "soon" for --request-timeout: not a duration\nhint: ${USE}\n`],
  [['status', '-s', 'not a url'], 'error: invalid value for --server: not an http(s) URL\nhint: use https://HOST:PORT\n'],
  [['status', '--as-group', 'ops'], 'error: --as-group needs --as\nhint: kubectl requires a user to impersonate along with groups: add --as USER\n'],
];

for (const [args, stderr] of CASES) {
  test(`${args.join(' ')} → exit 2: ${stderr.split('\n')[0]}`, async () => {
    const before = sim.requests.length;
    const r = await run([...args, '--kubeconfig', sim.kubeconfig]);
    assert.is(r.code, 2, r.stderr);
    assert.is(r.stderr, stderr);
    assert.is(r.stdout, '');
    assert.is(sim.requests.length, before, 'no request before the input is valid');
  });
}

test('every flag problem at once, globals and the command\'s, one error line each', async () => {
  const before = sim.requests.length;
  const r = await run(['fix', 'probe', 'deployment/X', '--initial-delay', 'soon', '--failure-threshold', 'none', '--timeout', '5x', '-n', 'A', '--kubeconfig', sim.kubeconfig]);
  assert.is(r.code, 2);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
  assert.equal(errors, [
    'error: invalid namespace name "A"',
    'error: invalid value "5x" for --timeout: not a duration',
    'error: invalid deployment name "X"',
    'error: invalid value "soon" for --initial-delay: not a duration',
    'error: invalid value "none" for --failure-threshold: not a whole number',
  ]);
  assert.is(sim.requests.length, before);
});

test('a single-valued flag given twice: the last wins, as in kubectl; repeated --check keeps all', async () => {
  const st = await run(['status', '-n', 'nope', '-n', 'dhakacart', '-o', 'yaml', '-o', 'json', '--kubeconfig', sim.kubeconfig]);
  assert.is(st.code, 1, st.stderr);
  assert.is((JSON.parse(st.stdout) as { namespace: string }).namespace, 'dhakacart');
  const v = await run(['verify', 'deployment/dhakacart-backend', '--check', '/a', '--check', '/b', '--timeout', '9m', '--timeout', '1s', '-o', 'json', '--kubeconfig', sim.kubeconfig]);
  assert.ok(v.code === 1 || v.code === 5, v.stderr);
  assert.ok(v.ms < 60_000, 'the second --timeout (1s) bounds the wait');
  assert.is((JSON.parse(v.stdout) as { target: string }).target, 'deployment/dhakacart-backend');
});

test('valid spellings pass the checks (a dry run reaches the server)', async () => {
  const r = await run(['fix', 'probe', '--initial-delay', '1m', '--probe-timeout', '15s', '--period', '20', '--failure-threshold', '+5', '--dry-run', '--yes', '-o', 'json', '--kubeconfig', sim.kubeconfig]);
  assert.is(r.code, 0, r.stderr);
  const changes = (JSON.parse(r.stdout) as { changes: { path: string; to: unknown }[] }).changes;
  const to = Object.fromEntries(changes.map((c) => [c.path.replace(/.*\./, ''), c.to]));
  assert.is(to.initialDelaySeconds, 60);
  assert.is(to.timeoutSeconds, 15);
  assert.is(to.periodSeconds, 20);
  assert.is(to.failureThreshold, 5);
});

// Unknown names: the closest ones in the namespace, from the same not-found error (exit 3).

test('fix with a mistyped pod: exit 3, the pod meant', async () => {
  const r = await run(['fix', 'oom', 'dhakacart-backend-7d9f8c6b5d-x2x9j', '--yes', '--kubeconfig', sim.kubeconfig]);
  assert.is(r.code, 3);
  assert.is(r.stderr, 'error: pod "dhakacart-backend-7d9f8c6b5d-x2x9j" not found in namespace "dhakacart"\nhint: did you mean dhakacart-backend-7d9f8c6b5d-x2x9k?\n');
});

test('rollback of a mistyped Deployment: exit 3, deployment/NAME meant', async () => {
  const r = await run(['rollback', 'deployment/dhakacart-backnd', '--yes', '--kubeconfig', sim.kubeconfig]);
  assert.is(r.code, 3);
  assert.is(r.stderr, 'error: deployment "dhakacart-backnd" not found in namespace "dhakacart"\nhint: did you mean deployment/dhakacart-backend?\n');
});

test('emergency on a name with nothing close: exit 3, the list hint instead', async () => {
  const r = await run(['emergency', 'stop', 'deployment/zzz-unrelated', '--yes', '--kubeconfig', sim.kubeconfig]);
  assert.is(r.code, 3);
  assert.is(r.stderr, 'error: deployment "zzz-unrelated" not found in namespace "dhakacart"\nhint: list them with: kubectl get deployments -n dhakacart\n');
});

test('why with a Deployment\'s name instead of a pod: its pods are suggested', async () => {
  const r = await run(['why', 'dhakacart-backend', '--kubeconfig', sim.kubeconfig]);
  assert.is(r.code, 3);
  const [err, hint] = r.stderr.split('\n');
  assert.is(err, 'error: pod "dhakacart-backend" not found in namespace "dhakacart"');
  assert.match(hint!, /^hint: did you mean one of: dhakacart-backend-7d9f8c6b5d-[a-z0-9]{5}, dhakacart-backend-7d9f8c6b5d-[a-z0-9]{5}, dhakacart-backend-7d9f8c6b5d-[a-z0-9]{5}\?$/);
});

// Internal errors: a bug is not "problems found" (1) but 70, one line, the stack only on request.

test('formatFailure: a CliError keeps its lines and kind; its further problems follow', () => {
  const f = formatFailure(usageError('bad', 'do this'), { debug: false, version: 'v1\n' });
  assert.is(f.code, 2);
  assert.is(f.text, 'error: bad\nhint: do this\n');
});

test('formatFailure: anything else is exit 70, one line plus a hint with the version; stack only with debug', () => {
  const e = new TypeError("Cannot read properties of undefined (reading 'name')\n    at somewhere");
  const plain = formatFailure(e, { debug: false, version: 'kubectl-dhakacart v9 (commit abc, node v22)\n' });
  assert.is(plain.code, 70);
  assert.is(plain.text,
    "internal error: Cannot read properties of undefined (reading 'name')\n" +
    'hint: this is a bug in kubectl-dhakacart; please report it with this line and: kubectl-dhakacart v9 (commit abc, node v22) (--debug or DHAKACART_DEBUG=1 shows the stack)\n');
  const debug = formatFailure(e, { debug: true, version: 'v9\n' });
  assert.is(debug.code, 70);
  assert.ok(debug.text.includes(e.stack!), 'the stack with --debug');
  assert.is(formatFailure('a string', { debug: false, version: 'v' }).text.split('\n')[0], 'internal error: a string');
});

test('a real bug in-process (an Io whose out() throws) ends as exit 70, not 1', async () => {
  const broken = (noColor: boolean): Io => ({ ...processIo(noColor), out: () => { throw new RangeError('out of cheese'); } });
  let thrown: unknown;
  try {
    await runCli(['status', '--kubeconfig', sim.kubeconfig], broken, { HOME: '/nonexistent' });
  } catch (e) {
    thrown = e;
  }
  assert.instance(thrown, RangeError);
  const f = formatFailure(thrown, { debug: false, version: 'v' });
  assert.is(f.code, 70);
  assert.match(f.text, /^internal error: out of cheese\nhint: this is a bug/);
});

test('--debug is a known global flag, DHAKACART_DEBUG=1 too (not an unknown argument)', async () => {
  const r = await run(['status', '--debug', '-l', 'a b', '--kubeconfig', sim.kubeconfig]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /^error: invalid label selector/);
});

test.run();
