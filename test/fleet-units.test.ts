// The fleet's pure parts, in-process: which contexts a run asks, how its flags are checked,
// how a cluster's failure is named, and how failures across clusters are grouped.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApiError, CredentialsError, MalformedReplyError, UnreachableError } from '../src/cluster/api';
import { fleetArgs } from '../src/commands/fleet/options';
import type { Diagnosis } from '../src/diagnose/diagnosis';
import { CliError, PartialResult, usageError, worstExitCode } from '../src/errors';
import { describeFailure } from '../src/fleet/failure';
import { sameFailureLine, sameFailures, type Failure } from '../src/fleet/sameFailure';
import { chooseContexts } from '../src/fleet/select';
import { Checks } from '../src/kube/validate';

const CONTEXTS = ['prod-eu', 'prod-us', 'staging', 'prod-ap'];

test('chooseContexts: a list in its order, once each; a pattern and all in the kubeconfig order', () => {
  assert.equal(chooseContexts(CONTEXTS, { kind: 'list', names: ['staging', 'prod-eu', 'staging'] }, 'cfg'), { ok: true, value: ['staging', 'prod-eu'] });
  assert.equal(chooseContexts(CONTEXTS, { kind: 'matching', pattern: '^prod-', regex: /^prod-/ }, 'cfg'), { ok: true, value: ['prod-eu', 'prod-us', 'prod-ap'] });
  assert.equal(chooseContexts(CONTEXTS, { kind: 'all' }, 'cfg'), { ok: true, value: CONTEXTS });
});

test('chooseContexts: unknown names are all named; a pattern matching nothing and an empty kubeconfig are refused', () => {
  const missing = chooseContexts(CONTEXTS, { kind: 'list', names: ['prod-eu', 'prod-xx', 'qa'] }, '/k/config');
  assert.is(missing.ok, false);
  if (!missing.ok) {
    assert.is(missing.problem.message, 'contexts "prod-xx", "qa" not found in /k/config');
    assert.is(missing.problem.hint, 'contexts are: prod-eu, prod-us, staging, prod-ap');
  }
  const none = chooseContexts(CONTEXTS, { kind: 'matching', pattern: '^dev', regex: /^dev/ }, '/k/config');
  assert.is(!none.ok && none.problem.message, '--contexts-matching "^dev" matches none of the contexts in /k/config');
  const empty = chooseContexts([], { kind: 'all' }, '/k/config');
  assert.is(!empty.ok && empty.problem.message, '/k/config defines no contexts');
});

/** fleetArgs on parsed flags: the value, and the problems it reported. */
function parse(flags: Record<string, unknown>, solo: string[] = []) {
  const checks = new Checks();
  const value = fleetArgs(flags, checks, solo);
  try {
    checks.done();
    return { value, problems: [] as string[] };
  } catch (e) {
    const c = e as CliError;
    return { value, problems: [c.message, ...c.more.map((p) => p.message)] };
  }
}

test('fleetArgs: one --context name is not a fleet; a comma list, a pattern or all is, with concurrency 8 by default', () => {
  assert.equal(parse({ context: 'prod-eu' }), { value: undefined, problems: [] });
  assert.equal(parse({}), { value: undefined, problems: [] });
  assert.equal(parse({ context: 'prod-eu, staging' }).value, { selection: { kind: 'list', names: ['prod-eu', 'staging'] }, concurrency: 8 });
  assert.equal(parse({ 'all-contexts': true, concurrency: '3' }).value, { selection: { kind: 'all' }, concurrency: 3 });
  const m = parse({ 'contexts-matching': 'prod' }).value;
  assert.is(m?.selection.kind === 'matching' && m.selection.regex.test('a-prod-b'), true);
});

test('fleetArgs: every misuse reported at once, before anything is sent', () => {
  assert.equal(parse({ concurrency: '4' }).problems, ['--concurrency goes with a fleet run']);
  assert.equal(parse({ context: 'a,,b' }).problems, ['--context a,,b: an empty context name in the list']);
  assert.match(parse({ 'contexts-matching': '(' }).problems[0]!, /^invalid value for --contexts-matching: /);
  assert.equal(parse({ context: 'a', 'all-contexts': true }).problems, ['--context a names one context, --all-contexts a fleet: give one']);
  assert.equal(parse({ context: 'a,b', 'contexts-matching': 'x', 'all-contexts': true, token: 'T', server: 'https://x', output: 'sarif', concurrency: '0' }, ['--watch']).problems, [
    '--context a,b and --contexts-matching and --all-contexts both choose the contexts: give one',
    '--server, --token describe one cluster and cannot go to a fleet',
    '--watch works on one cluster, not a fleet',
    '-o sarif reports one cluster',
    'invalid value "0" for --concurrency: must be at least 1',
  ]);
});

test('describeFailure: the kind a row shows, from the error a one-cluster run would have ended with', () => {
  const kind = (e: unknown) => describeFailure(e).kind;
  assert.is(kind(new UnreachableError('ECONNREFUSED', 'cannot reach')), 'unreachable');
  assert.is(kind(new UnreachableError('TIMEOUT', 'no answer')), 'timeout');
  assert.is(kind(new UnreachableError('DEPTH_ZERO_SELF_SIGNED_CERT', 'tls')), 'tls');
  assert.is(kind(new ApiError(401, 'Unauthorized', 'Unauthorized')), 'unauthorized');
  assert.is(kind(new ApiError(403, 'Forbidden', 'no')), 'forbidden');
  assert.is(kind(new ApiError(404, 'NotFound', 'no')), 'not found');
  assert.is(kind(new ApiError(503, 'ServiceUnavailable', 'down')), 'server error');
  assert.is(kind(new ApiError(429, 'TooManyRequests', 'slow down')), 'throttled', 'a server that keeps throttling is not broken');
  assert.is(kind(new CredentialsError('cannot get credentials', 'log in')), 'credentials');
  assert.is(kind(new MalformedReplyError('GET', '/api', 'no JSON', { status: 200, text: '<html>', headers: {}, attempts: 1 }, false)), 'malformed reply');
  assert.is(kind(usageError('context names cluster "x", which is not defined')), 'config');
  assert.is(kind(new CliError('aborted', 'interrupted')), 'interrupted');
  assert.is(kind(new PartialResult(new ApiError(401, 'Unauthorized', 'u'), {})), 'unauthorized');
  assert.equal(describeFailure(new TypeError('x is undefined\n  at f')), { kind: 'internal', message: 'internal error: x is undefined' });
  assert.is(describeFailure(new UnreachableError('TIMEOUT', 'no answer \x1b[31mred')).message, 'no answer red');
});

test('worstExitCode: the highest of the clusters, 0 for none', () => {
  assert.is(worstExitCode([0, 1, 3, 0]), 3);
  assert.is(worstExitCode([]), 0);
});

function diagnosis(o: Partial<Diagnosis> & { pod: string }): Diagnosis {
  return { namespace: 'dhakacart', container: 'backend', cause: 'oom', confidence: 'confirmed', summary: 'OOMKilled at 512Mi', evidence: [], fix: { command: 'kubectl dhakacart fix oom', kubectl: [] }, escalate: null, owner: 'deployment/dhakacart-backend', notLookedAt: [], ...o };
}
const oom = (pod: string, revision = 12, image: string | null = 'backend:v1.5'): Failure => ({ diagnosis: diagnosis({ pod }), revision, image });

test('sameFailures: the same OOM on the same release in 3 of 5 clusters is one finding; pods alike in a cluster count once', () => {
  const groups = sameFailures([
    { context: 'a', failures: [oom('b-1'), oom('b-2')] },
    { context: 'b', failures: [oom('b-9')] },
    { context: 'c', failures: [] },
    { context: 'd', failures: [oom('b-3'), { diagnosis: diagnosis({ pod: 'f-1', owner: 'deployment/dhakacart-frontend', container: 'frontend', cause: 'probe' }), revision: 4, image: 'frontend:v2' }] },
    { context: 'e', failures: [] },
  ]);
  assert.is(groups.length, 2);
  assert.equal(groups.map((g) => [g.cause, g.workload, g.contexts]), [['oom', 'deployment/dhakacart-backend', ['a', 'b', 'd']], ['probe', 'deployment/dhakacart-frontend', ['d']]]);
  assert.is(sameFailureLine(groups[0]!, 5), 'deployment/dhakacart-backend in dhakacart: the same OOM in 3 of 5 clusters (a, b, d) since revision 12, image backend:v1.5');
  assert.is(sameFailureLine(groups[1]!, 5), 'deployment/dhakacart-frontend in dhakacart: PROBE in 1 of 5 clusters (d) since revision 4, image frontend:v2');
});

test('sameFailures: another image, cause or namespace is another failure; the same image at other revisions stays one', () => {
  const groups = sameFailures([
    { context: 'a', failures: [oom('p', 12, 'backend:v1.5')] },
    { context: 'b', failures: [oom('p', 7, 'backend:v1.5')] },
    { context: 'c', failures: [oom('p', 12, 'backend:v1.4')] },
    { context: 'd', failures: [{ ...oom('p'), diagnosis: diagnosis({ pod: 'p', cause: 'crash' }) }] },
    { context: 'e', failures: [{ ...oom('p'), diagnosis: diagnosis({ pod: 'p', namespace: 'shop' }) }] },
  ]);
  assert.equal(groups.map((g) => g.contexts), [['a', 'b'], ['c'], ['d'], ['e']]);
  assert.equal(groups[0]!.revisions, [7, 12]);
  assert.match(sameFailureLine(groups[0]!, 5), /the same OOM in 2 of 5 clusters \(a, b\) at revisions 7, 12, image backend:v1\.5$/);
});

test('sameFailures: without an image the revision decides; a bare pod is its own workload', () => {
  const groups = sameFailures([
    { context: 'a', failures: [{ diagnosis: diagnosis({ pod: 'x', owner: null }), revision: null, image: null }, oom('p', 3, null)] },
    { context: 'b', failures: [oom('q', 3, null), oom('r', 4, null)] },
  ]);
  assert.equal(groups.map((g) => [g.workload, g.contexts, g.revisions]), [
    ['deployment/dhakacart-backend', ['a', 'b'], [3]], ['pod/x', ['a'], []], ['deployment/dhakacart-backend', ['b'], [4]],
  ]);
});

test.run();
