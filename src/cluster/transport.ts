/**
 * The only module that calls @kubernetes/client-node for HTTP. Authentication, TLS,
 * proxies and exec credential plugins come from client-node's KubeConfig and its fetch
 * library; bodies stay raw JSON text (see kube/types.ts for why).
 */
import { HttpMethod, IsomorphicFetchHttpLibrary, RequestContext, Watch, type KubeConfig } from '@kubernetes/client-node';
import { getGlobalDispatcher, type Dispatcher } from 'undici';

export interface HttpResponse { status: number; headers: Record<string, string>; text: string }

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: string;
  contentType?: string;
  accept?: string;
}

export type WatchHandler = (type: string, object: unknown) => void;

/** Failure before any HTTP status arrived: refused, reset, DNS, TLS, timeout. */
export class TransportError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

const httpLibrary = new IsomorphicFetchHttpLibrary();

/**
 * fetch joins repeated headers into one "a, b" line, which the API server would read as a
 * single group; undici's dispatch takes a flat list and sends one line per value (kubectl --as-group).
 */
function withHeaderLines(d: Dispatcher, name: string, values: readonly string[]): Dispatcher {
  return d.compose((dispatch) => (opts, handler) => {
    const h = opts.headers;
    const flat = Array.isArray(h) ? h.map(String) : Object.entries(h ?? {}).flatMap(([k, v]) => [k, String(v)]);
    return dispatch({ ...opts, headers: [...flat, ...values.flatMap((v) => [name, v])] }, handler);
  });
}

function toTransportError(e: unknown, timeoutMs: number): TransportError {
  const err = e as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return new TransportError('TIMEOUT', `no answer within ${timeoutMs / 1000}s`);
  if (err?.name === 'AbortError') return new TransportError('ABORTED', 'request aborted');
  const code = err?.cause?.code ?? err?.code ?? 'UNKNOWN';
  return new TransportError(code, err?.cause?.message ?? err?.message ?? String(e));
}

export class Transport {
  readonly server: string;

  constructor(private readonly kc: KubeConfig, readonly timeoutMs: number, private readonly impersonateGroups: readonly string[] = []) {
    this.server = kc.getCurrentCluster()!.server.replace(/\/+$/, '');
  }

  url(path: string, query?: RequestOptions['query']): string {
    const u = new URL(this.server + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
    return u.toString();
  }

  async request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const ctx = new RequestContext(this.url(path, opts.query), HttpMethod[method]);
    ctx.setHeaderParam('Accept', opts.accept ?? 'application/json');
    if (opts.body !== undefined) {
      ctx.setHeaderParam('Content-Type', opts.contentType ?? 'application/json');
      ctx.setBody(opts.body);
    }
    if (this.timeoutMs > 0) ctx.setSignal(AbortSignal.timeout(this.timeoutMs));
    // Outside the try: a failing exec plugin or token file is a credential problem, not an
    // unreachable server, and must be reported as such (it rejects with a plain Error).
    await this.kc.applySecurityAuthentication(ctx);
    if (this.impersonateGroups.length) ctx.setDispatcher(withHeaderLines(ctx.getDispatcher() ?? getGlobalDispatcher(), 'Impersonate-Group', this.impersonateGroups));
    try {
      const res = await httpLibrary.send(ctx).toPromise();
      return { status: res.httpStatusCode, headers: res.headers, text: await res.body.text() };
    } catch (e) {
      throw toTransportError(e, this.timeoutMs);
    }
  }

  /** A watch stream; resolves once the stream is open. `done` is called once when it ends. */
  async watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: WatchHandler, done: (err: unknown) => void): Promise<AbortController> {
    try {
      return await new Watch(this.kc).watch(path, query, (type, obj) => onEvent(type, obj), done);
    } catch (e) {
      throw toTransportError(e, this.timeoutMs);
    }
  }
}
