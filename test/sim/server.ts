// The HTTPS server: bearer-token auth, latency and fault injection, a request log, then the API.
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Api, statusResponse, type ApiOptions } from './routes';
import { StatusError, unauthorized } from './errors';
import type { SimSettings } from './settings';
import type { Store } from './store';
import { simTls } from './tls';

export interface Fault {
  method?: string;
  /** Tested against the path (and against path?query). */
  pathRegex: string | RegExp;
  /** An HTTP status answered with a Status body, `hang` (never answer) or `reset` (destroy the connection). */
  status: number | 'hang' | 'reset';
  /** How many matching requests it affects; omitted = all. */
  times?: number;
  /** Overrides the Status message. */
  message?: string;
}

export interface RequestRecord { method: string; path: string; query: string; status: number; ms: number; at: number; watch: boolean }

export interface ServerOptions { token: string; latencyMs: number; faults: Fault[]; bookmarkIntervalMs?: number; controllers: ApiOptions['controllers'] }

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
    const tls = simTls();
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
    const rec: RequestRecord = { method: req.method ?? 'GET', path: url.pathname, query: url.search.replace(/^\?/, ''), status: 0, ms: 0, at: started, watch: false };
    this.requests.push(rec);
    res.on('close', () => { rec.status = res.headersSent ? res.statusCode : rec.status; rec.ms = Date.now() - started; });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);

    if (this.opts.latencyMs > 0) await new Promise((r) => setTimeout(r, this.opts.latencyMs));

    const fault = this.opts.faults.find((f) => (!f.method || f.method.toUpperCase() === rec.method)
      && (f.times === undefined || f.times > 0)
      && (new RegExp(f.pathRegex).test(url.pathname) || new RegExp(f.pathRegex).test(url.pathname + url.search)));
    if (fault) {
      if (fault.times !== undefined) fault.times--;
      if (fault.status === 'hang') return; // never answered; close() destroys the socket
      if (fault.status === 'reset') { req.socket.destroy(); return; }
      const e = new StatusError(fault.status, REASONS[fault.status] ?? '', fault.message ?? (fault.status >= 500 ? 'Internal error occurred: injected fault' : 'injected fault'));
      return this.send(res, statusResponse(e));
    }

    if (!PUBLIC.has(url.pathname) && req.headers.authorization !== `Bearer ${this.opts.token}`) {
      return this.send(res, statusResponse(unauthorized()));
    }
    const out = await this.api.handle({ method: rec.method, path: url.pathname, query: url.searchParams, headers: req.headers, body });
    if ('stream' in out) { rec.watch = true; rec.status = 200; out.stream(req, res); return; }
    this.send(res, out);
  }

  private send(res: ServerResponse, r: { status: number; body: string | Buffer; contentType: string; headers?: Record<string, string> }): void {
    if (res.writableEnded) return;
    res.writeHead(r.status, { 'Content-Type': r.contentType, 'Cache-Control': 'no-cache, private', 'Audit-Id': crypto.randomUUID(), ...(r.headers ?? {}) });
    res.end(r.body);
  }
}
