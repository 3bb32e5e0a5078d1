// What a failed write means (src/cluster/api.ts): "not applied" or "outcome unknown", for the change runner.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApiError, KubeApi, OutcomeUnknownError, isOutcomeUnknown } from '../src/cluster/api';
import { TransportError, type HttpResponse, type Transport } from '../src/cluster/transport';

const CTX = { context: 'sim', server: 'https://127.0.0.1:1', namespace: 'dhakacart' };
const PATH = '/apis/apps/v1/namespaces/dhakacart/deployments/dhakacart-backend';

/** A KubeApi over a transport that always answers `outcome`. */
function apiAnswering(outcome: TransportError | HttpResponse): KubeApi {
  const t = { request: async () => { if (outcome instanceof TransportError) throw outcome; return outcome; } };
  return new KubeApi(t as unknown as Transport, CTX);
}

const status = (code: number, reason: string): HttpResponse =>
  ({ status: code, headers: { 'content-type': 'application/json' }, text: JSON.stringify({ kind: 'Status', code, reason, message: reason }), attempts: 1 });

async function failure(api: KubeApi, method: 'GET' | 'PATCH'): Promise<unknown> {
  try { await api.raw(method, PATH, { body: '{}' }); } catch (e) { return e; }
  throw new Error('expected a failure');
}

test('a write whose connection reset, timed out or was interrupted: outcome unknown, exit kind cluster', async () => {
  for (const code of ['ECONNRESET', 'UND_ERR_SOCKET', 'TIMEOUT', 'ABORTED']) {
    const e = await failure(apiAnswering(new TransportError(code, 'socket hang up')), 'PATCH');
    assert.instance(e, OutcomeUnknownError, code);
    assert.ok(isOutcomeUnknown(e), code);
    assert.match((e as Error).message, /PATCH \/apis\/apps\/v1\/.*may or may not have been applied/);
  }
});

test('a write refused before sending, or answered 4xx/429: not applied', async () => {
  for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'DEPTH_ZERO_SELF_SIGNED_CERT']) {
    assert.not.ok(isOutcomeUnknown(await failure(apiAnswering(new TransportError(code, 'no')), 'PATCH')), code);
  }
  for (const [code, reason] of [[409, 'Conflict'], [422, 'Invalid'], [429, 'TooManyRequests'], [403, 'Forbidden']] as const) {
    const e = await failure(apiAnswering(status(code, reason)), 'PATCH');
    assert.instance(e, ApiError);
    assert.is((e as ApiError).code, code);
    assert.not.ok(isOutcomeUnknown(e), String(code));
  }
});

test('a 5xx answer to a write: outcome unknown; to a read: a plain error', async () => {
  for (const code of [500, 503, 504]) {
    assert.ok(isOutcomeUnknown(await failure(apiAnswering(status(code, 'InternalError')), 'PATCH')), String(code));
    assert.not.ok(isOutcomeUnknown(await failure(apiAnswering(status(code, 'InternalError')), 'GET')), String(code));
  }
  assert.not.ok(isOutcomeUnknown(await failure(apiAnswering(new TransportError('ECONNRESET', 'reset')), 'GET')));
});

test.run();
