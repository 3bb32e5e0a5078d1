import { ApiError, CredentialsError, MalformedReplyError, UnreachableError } from '../cluster/api';
import { isTlsVerificationFailure } from '../cluster/retryPolicy';
import { CliError, PartialResult } from '../errors';
import { sanitizeText } from '../security/sanitize';

/** Why one cluster of a fleet gave no result: the `error.kind` of the fleet JSON. */
export type FailureKind =
  | 'unreachable' | 'timeout' | 'tls' | 'unauthorized' | 'forbidden' | 'credentials' | 'not found'
  | 'throttled' | 'server error' | 'malformed reply' | 'config' | 'interrupted' | 'cluster error' | 'internal';

export interface ContextFailure { kind: FailureKind; message: string }

function kindOf(e: unknown): FailureKind {
  if (e instanceof UnreachableError) return e.code === 'TIMEOUT' ? 'timeout' : isTlsVerificationFailure(e.code) ? 'tls' : 'unreachable';
  if (e instanceof ApiError) return e.code === 401 ? 'unauthorized' : e.code === 403 ? 'forbidden' : e.code === 404 ? 'not found' : e.code === 429 ? 'throttled' : e.code >= 500 ? 'server error' : 'cluster error';
  if (e instanceof CredentialsError) return 'credentials';
  if (e instanceof MalformedReplyError) return 'malformed reply';
  if (!(e instanceof CliError)) return 'internal';
  return e.kind === 'usage' ? 'config' : e.kind === 'aborted' ? 'interrupted' : 'cluster error';
}

/**
 * A cluster's failure as one row says it. The message is the one a single-cluster run would
 * print (it names the server, never a credential), cleaned like any text from a cluster.
 */
export function describeFailure(error: unknown): ContextFailure {
  const e = error instanceof PartialResult ? error.error : error;
  const text = e instanceof Error ? e.message : String(e);
  const message = sanitizeText(e instanceof CliError || !(e instanceof Error) ? text : `internal error: ${text.split('\n')[0]}`);
  return { kind: kindOf(e), message };
}
