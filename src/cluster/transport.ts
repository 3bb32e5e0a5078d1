/**
 * The only module that calls @kubernetes/client-node for HTTP. Authentication, TLS,
 * proxies and exec credential plugins come from client-node's KubeConfig and its fetch
 * library; bodies stay raw JSON text (see kube/types.ts for why).
 *
 * Retries follow retryPolicy.ts, here and not in undici's RetryHandler (which client-node
 * 2.0.1's undici ships, and which we could compose onto the dispatcher client-node builds
 * per request): RetryHandler resumes a body cut mid-way with a Range request, which the API
 * server does not support, so a cut list fails instead of being read again; it does not
 * jitter; one fetch signal covers all its attempts, so no attempt could have a
 * --request-timeout of its own; and its status list is per handler, not per method (writes
 * retry on 429 only). Watches do not go through client-node's Watch either: its 30 s
 * timer is both the header and the idle timeout and takes no signal, so neither
 * --request-timeout nor Ctrl-C could reach a watch whose headers never arrive.
 */
import { HttpMethod, IsomorphicFetchHttpLibrary, RequestContext, type DispatcherOptions, type KubeConfig, type ResponseContext } from '@kubernetes/client-node';
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { interruptSignal, sleep } from './interrupt';
import { COMMAND_RETRY_BUDGET, nextDelay, type Method, type Outcome } from './retryPolicy';
import { getGlobalDispatcher, type Dispatcher } from 'undici';

export interface HttpResponse { status: number; headers: Record<string, string>; text: string; attempts: number }

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: string;
  contentType?: string;
  accept?: string;
  /**
   * The request changes nothing although its method writes (an access review, a server-side
   * dry run): it is retried as a read, since repeating it cannot apply anything twice.
   */
  changesNothing?: boolean;
  /**
   * The request goes through the API server's proxy to an app: an answer that is not the
   * server's own Status (the app's 503 while it starts) is what the caller asked to see, and
   * it asks again on its own clock. The server's own failures (a Status body: overloaded,
   * cannot reach the pod) and requests that got no answer are retried as any read.
   */
  appAnswer?: boolean;
}

export type WatchHandler = (type: string, object: unknown) => void;

/** A Kubernetes Status object: the API server's own answer, not an app's behind its proxy. */
function isServerStatus(text: string): boolean {
  try {
    const v = JSON.parse(text) as { kind?: unknown; apiVersion?: unknown };
    return v?.kind === 'Status' && v.apiVersion === 'v1';
  } catch {
    return false;
  }
}

/** Failure before a whole HTTP answer arrived: refused, reset, DNS, TLS, timeout, Ctrl-C, a cut body. */
export class TransportError extends Error {
  constructor(readonly code: string, message: string, readonly attempts = 1) {
    super(message);
    this.name = 'TransportError';
  }
}

/** A watch stream with no bytes for this long (bookmarks included) is treated as dead and re-opened. */
const WATCH_IDLE_MS = 60_000;

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

/** undici's fast timers (its connect timeout) tick every ~500 ms (lib/util/timers.js TICK_MS). */
const UNDICI_TICK_MS = 500;

/** One attempt's deadline: a timer we can stop once the headers are in (a watch then runs on). */
class Deadline {
  private readonly ac = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  readonly signal: AbortSignal;
  expired = false;

  constructor(ms: number, extra?: AbortSignal) {
    this.signal = AbortSignal.any([interruptSignal, this.ac.signal, ...(extra ? [extra] : [])]);
    this.restart(ms);
  }

  restart(ms: number): void {
    this.stop();
    if (ms > 0) this.timer = setTimeout(() => { this.expired = true; this.ac.abort(new DOMException('timed out', 'TimeoutError')); }, ms);
  }

  stop(): void { clearTimeout(this.timer); }
}

function toTransportError(e: unknown, d: Deadline, timeoutMs: number): TransportError {
  if (interruptSignal.aborted) return new TransportError('ABORTED', 'interrupted');
  const err = e as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  const code = err?.cause?.code ?? err?.code ?? 'UNKNOWN';
  // The connect timeout we give undici (see the constructor) is the same bound as the deadline.
  if (d.expired || code === 'UND_ERR_CONNECT_TIMEOUT') return new TransportError('TIMEOUT', `no answer within ${timeoutMs / 1000}s`);
  if (d.signal.aborted) return new TransportError('CANCELLED', 'cancelled');
  return new TransportError(code, err?.cause?.message ?? err?.message ?? String(e));
}

type Spawn = (command: string, args: readonly string[] | undefined, opts: SpawnOptions) => ChildProcess;

/**
 * client-node 2.0.1 runs exec credential plugins (ExecAuth, not exported) through its
 * private `execFn` (child_process.spawn) with no time limit: a login plugin waiting for a
 * browser would hold every command for ever. Give its spawns the request timeout and the
 * Ctrl-C signal. Found by shape, so a client-node that moves it leaves plugins unbounded
 * rather than broken; test/transport-faults.test.ts notices that.
 */
function boundExecPlugins(kc: KubeConfig, timeoutMs: number): void {
  const auths = (kc as unknown as { authenticators?: unknown[] }).authenticators ?? [];
  for (const a of auths) {
    const auth = a as { execFn?: Spawn };
    if (typeof auth.execFn !== 'function') continue;
    auth.execFn = (command, args, opts) => spawn(command, args ?? [], { ...opts, signal: interruptSignal, ...(timeoutMs > 0 ? { timeout: timeoutMs } : {}) });
  }
}

interface Opened { res: ResponseContext; deadline: Deadline; close: () => void }

export class Transport {
  readonly server: string;
  private retriesLeft = COMMAND_RETRY_BUDGET;

  constructor(private readonly kc: KubeConfig, readonly timeoutMs: number, private readonly impersonateGroups: readonly string[] = []) {
    this.server = kc.getCurrentCluster()!.server.replace(/\/+$/, '');
    // client-node builds an undici Agent for every request with undici's default 10 s connect
    // timeout (TLS handshake included), and the request's abort signal does not end a socket
    // still connecting: a port that accepts TCP but never speaks TLS held the process 10 s
    // after --request-timeout 1s had failed the request. Its dispatcher options are public
    // (createDispatcherOptions): every connection gets the request's bound, less undici's
    // timer tick (its connect timer fires up to a tick late), so the socket is gone by the
    // time the deadline fails the request. 'none' (no TLS options) would use undici's
    // global dispatcher, so it becomes an agent too.
    boundExecPlugins(kc, timeoutMs);
    if (timeoutMs > 0) {
      const timeout = Math.max(timeoutMs - UNDICI_TICK_MS, timeoutMs / 2);
      const base = kc.createDispatcherOptions.bind(kc);
      kc.createDispatcherOptions = (cluster, agentOptions): DispatcherOptions => {
        const o = base(cluster, agentOptions);
        if (o.type === 'agent' || o.type === 'proxy') return { ...o, connect: { ...o.connect, timeout } };
        if (o.type === 'none') return { type: 'agent', connect: { timeout } };
        return o;
      };
    }
  }

  url(path: string, query?: RequestOptions['query']): string {
    const u = new URL(this.server + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** Sends once and returns with the headers in; the body is the caller's to read, then close(). */
  private async open(method: Method, url: string, opts: RequestOptions, extra?: AbortSignal): Promise<Opened> {
    const ctx = new RequestContext(url, HttpMethod[method]);
    ctx.setHeaderParam('Accept', opts.accept ?? 'application/json');
    if (opts.body !== undefined) {
      ctx.setHeaderParam('Content-Type', opts.contentType ?? 'application/json');
      ctx.setBody(opts.body);
    }
    const deadline = new Deadline(this.timeoutMs, extra);
    ctx.setSignal(deadline.signal);
    // Outside the try: a failing exec plugin or token file is a credential problem, not an
    // unreachable server, and must be reported as such (it rejects with a plain Error).
    const t0 = Date.now();
    try {
      await this.kc.applySecurityAuthentication(ctx);
    } catch (e) {
      deadline.stop();
      if (interruptSignal.aborted) throw new TransportError('ABORTED', 'interrupted');
      // A plugin killed by the timeout leaves client-node an empty message.
      if (this.timeoutMs > 0 && Date.now() - t0 >= this.timeoutMs) throw new Error(`the credential plugin gave no answer within ${this.timeoutMs / 1000}s`);
      throw e;
    }
    if (this.impersonateGroups.length) ctx.setDispatcher(withHeaderLines(ctx.getDispatcher() ?? getGlobalDispatcher(), 'Impersonate-Group', this.impersonateGroups));
    const close = () => deadline.stop();
    try {
      return { res: await httpLibrary.send(ctx).toPromise(), deadline, close };
    } catch (e) {
      close();
      throw toTransportError(e, deadline, this.timeoutMs);
    }
  }

  /** Runs attempts until one succeeds or the policy gives up; the last answer or error is the result. */
  private async withRetries<R extends { status: number; headers: Record<string, string> }>(method: Method, attempt: () => Promise<R>, retryAnswer: (r: R) => boolean = () => true): Promise<R & { attempts: number }> {
    let waitedMs = 0;
    for (let attempts = 1; ; attempts++) {
      let result: R | undefined;
      let failure: TransportError | undefined;
      try {
        result = await attempt();
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        failure = e;
      }
      const outcome: Outcome = result ? { status: result.status, retryAfter: result.headers['retry-after'] } : { code: failure!.code };
      const delay = result && !retryAnswer(result) ? null : nextDelay(method, outcome, { attempts, waitedMs, commandBudget: this.retriesLeft }, Date.now(), Math.random());
      if (delay === null) {
        if (failure) throw new TransportError(failure.code, failure.message, attempts);
        return { ...result!, attempts };
      }
      this.retriesLeft--;
      waitedMs += delay;
      await sleep(delay).catch(() => { throw new TransportError('ABORTED', 'interrupted', attempts); });
    }
  }

  async request(method: Method, path: string, opts: RequestOptions = {}): Promise<HttpResponse> {
    const url = this.url(path, opts.query);
    return this.withRetries(opts.changesNothing ? 'GET' : method, async () => {
      const { res, deadline, close } = await this.open(method, url, opts);
      try {
        return { status: res.httpStatusCode, headers: res.headers, text: await res.body.text() };
      } catch (e) {
        throw toTransportError(e, deadline, this.timeoutMs);
      } finally {
        close();
      }
    }, opts.appAnswer ? (r) => isServerStatus(r.text) : undefined);
  }

  /**
   * A watch: the (retried) open must have its headers within --request-timeout; then each
   * line is one event until the server ends the stream, it fails, it is idle for
   * WATCH_IDLE_MS, or `signal` aborts. Resolves with the HTTP status (non-200: nothing was
   * streamed, `text` holds the Status) once the stream is over.
   */
  async watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: WatchHandler, signal: AbortSignal): Promise<HttpResponse> {
    const url = this.url(path, { ...query, watch: true });
    const opened = await this.withRetries('GET', async () => {
      const o = await this.open('GET', url, {}, signal);
      if (o.res.httpStatusCode === 200) return { status: 200, headers: o.res.headers, text: '', stream: o };
      try {
        return { status: o.res.httpStatusCode, headers: o.res.headers, text: await o.res.body.text() };
      } catch (e) {
        throw toTransportError(e, o.deadline, this.timeoutMs);
      } finally {
        o.close();
      }
    });
    if (!('stream' in opened) || !opened.stream) return opened;
    const { res, deadline, close } = opened.stream;
    const result = { status: 200, headers: opened.headers, text: '', attempts: opened.attempts };
    deadline.restart(WATCH_IDLE_MS);
    const decoder = new TextDecoder();
    let pending = '';
    const emit = (line: string) => {
      if (!line.trim()) return;
      let ev: { type?: unknown; object?: unknown };
      try { ev = JSON.parse(line) as typeof ev; } catch { return; } // a line cut by a dropped stream
      if (typeof ev?.type === 'string') onEvent(ev.type, ev.object);
    };
    try {
      for await (const chunk of (res.body.stream() ?? []) as AsyncIterable<Uint8Array>) {
        deadline.restart(WATCH_IDLE_MS);
        pending += decoder.decode(chunk, { stream: true });
        const lines = pending.split('\n');
        pending = lines.pop()!;
        lines.forEach(emit);
      }
      emit(pending);
    } catch {
      // Dropped, idle or aborted: the stream is over either way; the caller decides whether to re-open.
    } finally {
      close();
    }
    return result;
  }
}
