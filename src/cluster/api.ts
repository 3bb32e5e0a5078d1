import { CliError } from '../errors';
import type { KubeStatus, List } from '../kube/types';
import { sanitizeLogLine } from '../security/sanitize';
import { failedBeforeSending, isIdempotent, isTlsVerificationFailure, type Method } from './retryPolicy';
import { Transport, TransportError, type HttpResponse, type RequestOptions, type WatchHandler } from './transport';

/*
 * What a failed write means, for the code that changes things (the change runner):
 * - `ApiError` with `outcomeUnknown: false` (a 4xx, or a 429 that outlasted its retries):
 *   the server refused the write; nothing was applied.
 * - `ApiError` with `outcomeUnknown: true` (a 5xx answer to a write) and
 *   `OutcomeUnknownError` (the connection failed or timed out after the request may have
 *   left): the write may or may not have landed. Re-read the object to find out; never
 *   send it again blindly. `isOutcomeUnknown(e)` tells the two apart.
 * Reads never carry an unknown outcome: they are retried (retryPolicy.ts) and then fail.
 */

/** An HTTP error from the API server, with the Status it sent. Kind `cluster` (exit 3). */
export class ApiError extends CliError {
  constructor(readonly code: number, readonly reason: string, message: string, hint?: string, readonly outcomeUnknown = false) {
    super('cluster', message, hint);
    this.name = 'ApiError';
  }
}

/** No HTTP answer at all (timeout, refused, reset, TLS); `code` is the transport's (TIMEOUT, ECONNRESET...). */
export class UnreachableError extends CliError {
  constructor(readonly code: string, message: string, hint?: string) {
    super('cluster', message, hint);
    this.name = 'UnreachableError';
  }
}

/** The credentials could not be obtained (an exec plugin or token file failed) before any request was sent. Kind `cluster`. */
export class CredentialsError extends CliError {
  constructor(message: string, hint: string) {
    super('cluster', message, hint);
    this.name = 'CredentialsError';
  }
}

/** A write whose reply was lost: it may have been applied. Kind `cluster` (exit 3). */
export class OutcomeUnknownError extends CliError {
  readonly outcomeUnknown = true;
  constructor(readonly method: Method, readonly path: string, readonly failure: TransportError, hint?: string) {
    super('cluster', `${method} ${path}: ${failure.message}; the change may or may not have been applied`, hint);
    this.name = 'OutcomeUnknownError';
  }
}

/** A 2xx answer that is not the Kubernetes JSON asked for (a proxy's login page, a cut body). Kind `cluster`. */
export class MalformedReplyError extends CliError {
  constructor(method: Method, path: string, what: string, res: HttpResponse, json: boolean) {
    const type = res.headers['content-type'] || 'no content type';
    const head = sanitizeLogLine(res.text.replace(/\s+/g, ' ')).slice(0, 80);
    super('cluster', `${method} ${path} returned ${what} (${type}): ${head}`, json
      ? 'the API server (or an aggregated API behind it) sent a reply this plugin cannot read; try again, or report it with this line'
      : 'something between here and the API server (a proxy, a login page) answered instead of Kubernetes; check the server URL of the context');
    this.name = 'MalformedReplyError';
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.code === 404;

export const isOutcomeUnknown = (e: unknown): boolean => e instanceof OutcomeUnknownError || (e instanceof ApiError && e.outcomeUnknown);

export const PAGE_SIZE = 500;
/** 500 objects a page: 200 pages is 100 000 objects, far past any namespace this plugin looks at. */
const MAX_PAGES = 200;

function parseStatus(text: string): KubeStatus | null {
  try {
    const j = JSON.parse(text) as KubeStatus;
    return j && j.kind === 'Status' ? j : null;
  } catch {
    return null;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isKubeObject = (v: unknown): boolean => isObject(v) && isObject(v.metadata);

export interface ApiContext { context: string; server: string; namespace: string }

export class KubeApi {
  constructor(private readonly t: Transport, readonly ctx: ApiContext) {}

  private fail(method: Method, path: string, res: HttpResponse): ApiError {
    const { status, text } = res;
    const st = parseStatus(text);
    const reason = st?.reason ?? (status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'NotFound' : `HTTP ${status}`);
    const tries = res.attempts > 1 ? ` (after ${res.attempts} attempts)` : '';
    const message = `Error from server (${reason}): ${st?.message ?? (text.trim().slice(0, 200) || `${method} ${path} returned ${status}`)}${tries}`;
    const { context, namespace } = this.ctx;
    const hint =
      status === 401 ? `the API server rejected the credentials of context "${context}"; refresh them or pick another --context`
      : status === 403 ? `your account lacks this permission in namespace "${namespace}"; ask for it or use a context that has it`
      : status === 429 || status >= 500 ? 'the API server is overloaded or failing; try again in a minute'
      : undefined;
    return new ApiError(status, reason, message, hint, !isIdempotent(method) && status >= 500);
  }

  private unreachable(method: Method, path: string, e: TransportError): CliError {
    const { server, context } = this.ctx;
    // Before the Ctrl-C check: a write interrupted in flight may have landed, and the user must hear so.
    if (!isIdempotent(method) && !failedBeforeSending(e.code)) {
      return new OutcomeUnknownError(method, path, e, `check with kubectl get whether the change landed on context "${context}"`);
    }
    if (e.code === 'ABORTED') return new CliError('aborted', 'interrupted');
    const tries = e.attempts > 1 ? ` (after ${e.attempts} attempts)` : '';
    if (e.code === 'TIMEOUT') {
      return new UnreachableError(e.code, `the API server ${server} did not answer: ${e.message}${tries}`,
        `check that the cluster of context "${context}" is up, or raise --request-timeout`);
    }
    if (isTlsVerificationFailure(e.code)) {
      return new UnreachableError(e.code, `TLS verification of ${server} failed (${e.code}): ${e.message}`,
        `the kubeconfig's certificate-authority does not match the server of context "${context}"`);
    }
    return new UnreachableError(e.code, `cannot reach the API server ${server}: ${e.message}${tries}`,
      `check that the cluster of context "${context}" is up and reachable from here (kubectl config view --minify)`);
  }

  private credentials(e: unknown): CliError {
    // Exec credential plugins and token files fail here, before any request is sent.
    return new CredentialsError(`cannot get credentials for ${this.ctx.server}: ${(e as Error).message.trim()}`,
      `the credentials of context "${this.ctx.context}" could not be obtained; log in again (your cloud's login or get-credentials command)`);
  }

  private async send(method: Method, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    let res;
    try {
      res = await this.t.request(method, path, opts);
    } catch (e) {
      if (e instanceof TransportError) throw this.unreachable(method, path, e);
      throw this.credentials(e);
    }
    if (res.status < 200 || res.status > 299) throw this.fail(method, path, res);
    return res;
  }

  async raw(method: Method, path: string, opts: RequestOptions = {}): Promise<string> {
    return (await this.send(method, path, opts)).text;
  }

  /** GETs JSON and checks its shape once: a JSON object, and `valid` (default: an object metadata). */
  private async json(path: string, query: RequestOptions['query'], what: string, valid: (v: Record<string, unknown>) => boolean): Promise<unknown> {
    const res = await this.send('GET', path, { query });
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      const json = /json/i.test(res.headers['content-type'] ?? '');
      throw new MalformedReplyError('GET', path, json ? 'JSON cut short or invalid' : 'no JSON', res, json);
    }
    if (!isObject(body) || !valid(body)) throw new MalformedReplyError('GET', path, what, res, true);
    return body;
  }

  async get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return await this.json(path, query, 'an object without metadata', (o) => isObject(o.metadata)) as T;
  }

  /** GET that answers null for 404; every other failure still throws. */
  async getOptional<T>(path: string): Promise<T | null> {
    try {
      return await this.get<T>(path);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  private page<T>(path: string, query: RequestOptions['query']): Promise<List<T>> {
    return this.json(path, query, 'a list whose items are not all objects with metadata',
      (o) => (o.metadata === undefined || isObject(o.metadata)) && Array.isArray(o.items) && o.items.every(isKubeObject)) as Promise<List<T>>;
  }

  /**
   * Lists every page (limit/continue). When a continue token expires (410) the list
   * restarts from the beginning, as kubectl's FollowContinue does, at most twice. A server
   * that repeats a token or never stops paging ends in an error, not in endless requests.
   */
  async list<T>(path: string, query: Record<string, string | undefined> = {}): Promise<List<T> & { metadata: { resourceVersion?: string } }> {
    return this.listProjected<T, T>(path, (item) => item, query);
  }

  /**
   * `list`, keeping of each item only what `project` returns, as its page arrives: the page
   * (its text and the full objects) is garbage once mapped, so memory grows with what is
   * kept, not with what is listed (5,000 pods with their specs would otherwise be held whole).
   */
  async listProjected<T, U>(path: string, project: (item: T) => U, query: Record<string, string | undefined> = {}): Promise<List<U> & { metadata: { resourceVersion?: string } }> {
    for (let attempt = 0; ; attempt++) {
      const items: U[] = [];
      const seen = new Set<string>();
      let cont: string | undefined;
      let rv: string | undefined;
      try {
        do {
          if (seen.size >= MAX_PAGES) {
            throw new CliError('cluster', `GET ${path}: the API server was still paging after ${MAX_PAGES} pages of ${PAGE_SIZE}`, 'narrow the request (a --selector), or report the server\'s behaviour');
          }
          const page = await this.page<T>(path, { ...query, limit: PAGE_SIZE, continue: cont });
          for (const item of page.items) items.push(project(item));
          rv = page.metadata?.resourceVersion;
          cont = page.metadata?.continue || undefined;
          if (cont !== undefined && seen.has(cont)) {
            throw new CliError('cluster', `GET ${path}: the API server sent the same continue token twice; the list would never end`, 'the API server or a proxy in front of it is misbehaving; try again, or report it');
          }
          if (cont !== undefined) seen.add(cont);
        } while (cont);
        return { items, metadata: { resourceVersion: rv } };
      } catch (e) {
        if (e instanceof ApiError && e.code === 410 && attempt < 2) continue;
        throw e;
      }
    }
  }

  async text(path: string, query?: RequestOptions['query']): Promise<string> {
    return this.raw('GET', path, { query, accept: '*/*' });
  }

  /**
   * A watch until the stream ends (see Transport.watch). A refusal to open (410 Gone, 403)
   * is thrown as the ApiError it is.
   */
  async watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: WatchHandler, signal: AbortSignal): Promise<void> {
    let res;
    try {
      res = await this.t.watch(path, query, onEvent, signal);
    } catch (e) {
      if (e instanceof TransportError) throw this.unreachable('GET', path, e);
      throw this.credentials(e);
    }
    if (res.status !== 200) throw this.fail('GET', path, res);
  }
}
