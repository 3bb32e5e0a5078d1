// A minimal Alertmanager API v2 on its own loopback HTTP server: GET /api/v2/alerts with the
// query Alertmanager takes (active, silenced, inhibited, unprocessed, filter matchers) and its
// GettableAlert shape. Started by startSim({ alertmanager: {...} }) or on its own.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';

export interface SimAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** Default: 10 minutes ago. */
  startsAt?: string;
  /** Default: 4 minutes ahead, as Prometheus sends a firing alert; a past time is a resolved alert. */
  endsAt?: string;
  /** Default active; `suppressed` needs silencedBy or inhibitedBy to say by what. */
  state?: 'active' | 'suppressed' | 'unprocessed';
  silencedBy?: string[];
  inhibitedBy?: string[];
}

export interface AlertmanagerOptions {
  alerts?: SimAlert[];
  /** Replaces the JSON body of the answer (what a proxy or a cache in front of Alertmanager might send). */
  transform?: (body: unknown[]) => unknown;
  /**
   * Also in the cluster: startSim adds this Service (namespace/name, port) and its API server
   * proxies services/NAME:PORT/proxy to this Alertmanager.
   */
  service?: { namespace: string; name: string; port: number };
}

export interface SimAlertmanager {
  url: string;
  /** Mutable: later requests see the change. */
  alerts: SimAlert[];
  transform?: (body: unknown[]) => unknown;
  requests: { method: string; path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

type Matcher = (labels: Record<string, string>) => boolean;

/** Alertmanager's matcher syntax as its filter parameter takes it: name, operator, value (quoted or not). */
function parseMatcher(text: string): Matcher | null {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/.exec(text);
  if (!m) return null;
  const raw = m[3]!;
  const value = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  const name = m[1]!;
  const op = m[2]!;
  const re = op.includes('~') ? new RegExp(`^(?:${value})$`) : null;
  return (labels) => {
    const v = labels[name] ?? '';
    const hit = re ? re.test(v) : v === value;
    return op.startsWith('!') ? !hit : hit;
  };
}

const fingerprint = (labels: Record<string, string>) =>
  createHash('sha256').update(Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join('\xff')).digest('hex').slice(0, 16);

/** What Alertmanager answers for one alert (GettableAlert of api/v2/openapi.yaml). */
function gettable(a: SimAlert, now: number) {
  const state = a.state ?? 'active';
  return {
    annotations: a.annotations ?? {},
    endsAt: a.endsAt ?? new Date(now + 4 * 60_000).toISOString(),
    fingerprint: fingerprint(a.labels),
    receivers: [{ name: 'oncall' }],
    startsAt: a.startsAt ?? new Date(now - 10 * 60_000).toISOString(),
    status: { inhibitedBy: a.inhibitedBy ?? [], silencedBy: a.silencedBy ?? [], state },
    updatedAt: new Date(now).toISOString(),
    generatorURL: `http://prometheus.monitoring:9090/graph?g0.expr=${encodeURIComponent(a.labels.alertname ?? '')}`,
    labels: a.labels,
  };
}

/** The answer to GET /api/v2/alerts?QUERY as Alertmanager computes it (api/v2/api.go getAlertsHandler). */
export function alertsAnswer(alerts: SimAlert[], query: URLSearchParams, now: number): { status: number; body: unknown } {
  const flag = (k: string) => query.get(k) !== 'false';
  const matchers: Matcher[] = [];
  for (const f of query.getAll('filter')) {
    const m = parseMatcher(f);
    if (!m) return { status: 400, body: { code: 400, message: `bad matcher format: ${f}` } };
    matchers.push(m);
  }
  const out = alerts.filter((a) => {
    // A resolved alert is kept a while for notifications, never listed.
    if (a.endsAt && Date.parse(a.endsAt) < now) return false;
    const state = a.state ?? 'active';
    if (state === 'active' && !flag('active')) return false;
    if (state === 'unprocessed' && !flag('unprocessed')) return false;
    if (state === 'suppressed' && ((a.silencedBy?.length && !flag('silenced')) || (a.inhibitedBy?.length && !flag('inhibited')))) return false;
    return matchers.every((m) => m(a.labels));
  });
  return { status: 200, body: out.map((a) => gettable(a, now)) };
}

export async function startAlertmanager(opts: AlertmanagerOptions = {}): Promise<SimAlertmanager> {
  const sockets = new Set<Socket>();
  const am: SimAlertmanager = {
    url: '', alerts: opts.alerts ?? [], transform: opts.transform, requests: [],
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    am.requests.push({ method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers });
    const answer = req.method === 'GET' && u.pathname === '/api/v2/alerts' ? alertsAnswer(am.alerts, u.searchParams, Date.now()) : null;
    if (!answer) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    const body = answer.status === 200 && am.transform ? am.transform(answer.body as unknown[]) : answer.body;
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', () => resolve()); });
  const addr = server.address();
  am.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return am;
}
