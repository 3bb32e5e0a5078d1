// The HTTPS server: bearer-token auth, latency and fault injection, a request log, then the API.
/* eslint-disable @typescript-eslint/no-explicit-any */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Api, statusResponse, type ApiOptions } from './routes';
import { StatusError, unauthorized } from './errors';
import type { SimSettings } from './settings';
import type { Store } from './store';
import { simTls, type SimTls } from './tls';

/**
 * What an injected fault does to a matching request:
 * - a number: that HTTP status with a Status body (Retry-After when `retryAfter` is set);
 * - `hang`: never answer (for a watch: the headers never arrive); `reset`: destroy the connection;
 * - `partial`: the real answer's headers and half its body, then the connection is destroyed;
 * - `html`: 200 with a text/html page (a proxy's login page); `malformed`: 200 JSON cut short;
 * - `drop`: answer for real, then destroy the connection after `afterMs` (a watch dropped mid-stream);
 * - omitted: the request is served normally (with `mutate` and `transform`, below).
 */
export type FaultKind = number | 'hang' | 'reset' | 'partial' | 'html' | 'malformed' | 'drop';

export interface Fault {
  method?: string;
  /** Tested against the path (and against path?query). */
  pathRegex: string | RegExp;
  status?: FaultKind;
  /** How many matching requests it affects; omitted = all. */
  times?: number;
  /** Only every Nth matching request (1-based: every: 3 hits the 3rd, 6th, ...); the others pass untouched. */
  every?: number;
  /** Overrides the Status message. */
  message?: string;
  /** Seconds for a Retry-After header (and the Status's details.retryAfterSeconds). */
  retryAfter?: number;
  /**
   * The request is carried out first (a write lands in the store), then the fault replaces
   * the answer: the client's reply is lost although the change was made.
   */
  applied?: boolean;
  /** Runs against the store when the request arrives, before it is served: a concurrent writer. */
  mutate?: (store: Store) => void;
  /** Replaces the JSON body of a real answer (null metadata, a continue token that never ends). */
  transform?: (body: any) => unknown;
  /** For `drop`: how long the connection lives (default 100 ms). */
  afterMs?: number;
  /** Matching requests seen so far (for `every`); kept by the server. */
  seen?: number;
}

export interface RequestRecord {
  method: string; path: string; query: string; status: number; ms: number; at: number; watch: boolean;
  /** Each header's values, one per header line (so repeated Impersonate-Group lines stay apart). */
  headers: Record<string, string[]>;
  /** The TLS server name (SNI) the client sent, or null. */
  sni: string | null;
}

export interface ServerOptions {
  token: string; latencyMs: number; faults: Fault[]; bookmarkIntervalMs?: number; controllers: ApiOptions['controllers'];
  /** The certificate and CA it chains to (default: the process's shared simTls()). */
  tls?: SimTls;
}

const PUBLIC = new Set(['/version', '/healthz', '/livez', '/readyz']);
const REASONS: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 410: 'Expired', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout' };

export class SimServer {
  readonly requests: RequestRecord[] = [];
  readonly api: Api;
  private readonly server: https.Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(readonly store: Store, readonly settings: SimSettings, readonly opts: ServerOptions) {
    this.api = new Api(store, settings, { serverAddress: () => `127.0.0.1:${this.port}`, bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 15_000, controllers: opts.controllers });
    const tls = opts.tls ?? simTls();
    this.server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => { void this.onRequest(req, res); });
    this.server.on('connection', (s: Socket) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    this.server.on('secureConnection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve, reject) => { this.server.once('error', reject); this.server.listen(port, '127.0.0.1', () => resolve()); });
    this.port = (this.server.address() as { port: number }).port;
    return `https://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.api.closeWatches();
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const sni = (req.socket as import('node:tls').TLSSocket).servername;
    const rec: RequestRecord = { method: req.method ?? 'GET', path: url.pathname, query: url.search.replace(/^\?/, ''), status: 0, ms: 0, at: started, watch: false,
      headers: req.headersDistinct as Record<string, string[]>, sni: typeof sni === 'string' ? sni : null };
    this.requests.push(rec);
    res.on('close', () => { rec.status = res.headersSent ? res.statusCode : rec.status; rec.ms = Date.now() - started; });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);

    if (this.opts.latencyMs > 0) await new Promise((r) => setTimeout(r, this.opts.latencyMs));

    const fault = this.matchFault(rec.method, url);
    if (fault?.mutate) fault.mutate(this.store);
    const kind = fault?.status;
    if (fault && !fault.applied && kind !== undefined && kind !== 'partial' && kind !== 'drop') return this.injure(req, res, fault, kind);

    if (!PUBLIC.has(url.pathname) && req.headers.authorization !== `Bearer ${this.opts.token}`) {
      return this.send(res, statusResponse(unauthorized()));
    }
    const out = await this.api.handle({ method: rec.method, path: url.pathname, query: url.searchParams, headers: req.headers, body });
    if (fault && kind === 'drop') setTimeout(() => req.socket.destroy(), fault.afterMs ?? 100);
    if ('stream' in out) { rec.watch = true; rec.status = 200; out.stream(req, res); return; }
    if (fault?.applied && kind !== undefined) return this.injure(req, res, fault, kind);
    if (fault && kind === 'partial') {
      res.writeHead(out.status, { 'Content-Type': out.contentType, 'Content-Length': String(Buffer.byteLength(out.body)) });
      res.write(Buffer.from(out.body).subarray(0, Math.floor(Buffer.byteLength(out.body) / 2)));
      setTimeout(() => req.socket.destroy(), 10);
      return;
    }
    if (fault?.transform && out.contentType.startsWith('application/json')) {
      return this.send(res, { ...out, body: JSON.stringify(fault.transform(JSON.parse(String(out.body)))) });
    }
    this.send(res, out);
  }

  /** The first fault that matches and is still armed; counts it down. */
  private matchFault(method: string, url: URL): Fault | undefined {
    for (const f of this.opts.faults) {
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.times !== undefined && f.times <= 0) continue;
      if (!new RegExp(f.pathRegex).test(url.pathname) && !new RegExp(f.pathRegex).test(url.pathname + url.search)) continue;
      f.seen = (f.seen ?? 0) + 1;
      if (f.every && f.seen % f.every !== 0) continue;
      if (f.times !== undefined) f.times--;
      return f;
    }
    return undefined;
  }

  private injure(req: IncomingMessage, res: ServerResponse, f: Fault, kind: FaultKind): void {
    switch (kind) {
      case 'hang': return; // never answered; close() destroys the socket
      case 'reset': case 'partial': case 'drop': req.socket.destroy(); return;
      case 'html':
        return this.send(res, { status: 200, contentType: 'text/html; charset=utf-8', body: '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/oauth/start">Sign in to continue</form></body></html>\n' });
      case 'malformed':
        return this.send(res, { status: 200, contentType: 'application/json', body: '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":' });
      default: {
        const e = new StatusError(kind, REASONS[kind] ?? '', f.message ?? (kind >= 500 ? 'Internal error occurred: injected fault' : kind === 429 ? 'Too many requests, please try again later.' : 'injected fault'));
        const r = statusResponse(e);
        if (f.retryAfter !== undefined) {
          const st = JSON.parse(String(r.body));
          st.details = { ...(st.details ?? {}), retryAfterSeconds: f.retryAfter };
          return this.send(res, { ...r, body: JSON.stringify(st), headers: { 'Retry-After': String(f.retryAfter) } });
        }
        return this.send(res, r);
      }
    }
  }

  private send(res: ServerResponse, r: { status: number; body: string | Buffer; contentType: string; headers?: Record<string, string> }): void {
    if (res.writableEnded) return;
    res.writeHead(r.status, { 'Content-Type': r.contentType, 'Cache-Control': 'no-cache, private', 'Audit-Id': crypto.randomUUID(), ...(r.headers ?? {}) });
    res.end(r.body);
  }
}
