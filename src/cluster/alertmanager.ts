import { CliError } from '../errors';
import { sanitizeLogLine } from '../security/sanitize';
import { DEFAULT_ALERTMANAGER, describeTarget, type AlertmanagerTarget } from './alertmanagerTarget';
import type { KubeApi } from './api';
import { interruptSignal } from './interrupt';
import { paths } from './paths';

/** A firing alert as `why --alert` uses it: what it is and the pod its labels name. */
export interface FiringAlert { alertname: string; pod: string | null; namespace: string | null; startsAt: string | null; fingerprint: string | null }

export interface AlertQuery { target: AlertmanagerTarget; alertname: string; timeoutMs: number; now: number }

/** A matcher of Alertmanager's filter syntax: the value quoted, `"` and `\` escaped. */
const matcher = (name: string, value: string) => `${name}="${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

const HINT = `check --alertmanager; an Alertmanager in the cluster is reached through the API server with --alertmanager ${DEFAULT_ALERTMANAGER}`;

function stringLabels(v: unknown): Record<string, string> | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  return Object.values(v).every((x) => typeof x === 'string') ? v as Record<string, string> : null;
}

/**
 * Alertmanager's `GET /api/v2/alerts` answer (a list of GettableAlert) → the alerts that fire
 * now: the alertname asked for, state active (suppressed ones page nobody; unprocessed ones
 * are new), not resolved by `now`. Alertmanager filters the same server-side; this holds
 * also for a proxy's cached answer or a clock ahead of Alertmanager's.
 */
export function readAlerts(text: string, alertname: string, now: number, where: string): FiringAlert[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CliError('cluster', `Alertmanager at ${where} sent no JSON: ${sanitizeLogLine(text.replace(/\s+/g, ' ')).slice(0, 80)}`, HINT);
  }
  if (!Array.isArray(body)) throw new CliError('cluster', `Alertmanager at ${where} sent JSON that is not a list of alerts`, HINT);
  const out: FiringAlert[] = [];
  for (const a of body as unknown[]) {
    if (typeof a !== 'object' || a === null) continue;
    const alert = a as { labels?: unknown; startsAt?: unknown; endsAt?: unknown; fingerprint?: unknown; status?: { state?: unknown } };
    const labels = stringLabels(alert.labels);
    if (!labels || labels.alertname !== alertname) continue;
    const state = alert.status?.state;
    if (state !== undefined && state !== 'active' && state !== 'unprocessed') continue;
    // Go's zero time (0001-01-01) is "no end": only a real end in the past resolves it.
    const ends = typeof alert.endsAt === 'string' ? Date.parse(alert.endsAt) : NaN;
    if (Number.isFinite(ends) && ends > 0 && ends <= now) continue;
    out.push({
      alertname, pod: labels.pod ?? null, namespace: labels.namespace ?? null,
      startsAt: typeof alert.startsAt === 'string' ? alert.startsAt : null,
      fingerprint: typeof alert.fingerprint === 'string' ? alert.fingerprint : null,
    });
  }
  return out;
}

/** GET URL/api/v2/alerts; credentials in the URL go into an Authorization header, never into a message. */
async function fetchAlerts(base: URL, query: Record<string, string>, timeoutMs: number): Promise<string> {
  const where = describeTarget({ kind: 'url', url: base });
  const u = new URL(`${base.href.replace(/\/+$/, '')}/api/v2/alerts`);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (u.username || u.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  try {
    const res = await fetch(u, { headers, signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), interruptSignal]) });
    const text = await res.text();
    if (res.ok) return text;
    const auth = res.status === 401 || res.status === 403;
    throw new CliError('cluster', `Alertmanager at ${where} answered ${res.status}: ${sanitizeLogLine(text.trim().split('\n')[0] ?? '').slice(0, 200)}`,
      auth ? 'give its credentials in the URL (https://USER:PASSWORD@HOST) or reach it through the API server with --alertmanager service/NAMESPACE/NAME:PORT' : HINT);
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (interruptSignal.aborted) throw new CliError('aborted', 'interrupted');
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000}s` : err.cause?.code ?? err.cause?.message ?? err.message;
    throw new CliError('cluster', `cannot reach Alertmanager at ${where}: ${why}`, HINT);
  }
}

/** The alerts named `alertname` that fire now, from an Alertmanager URL or through the API server's service proxy. */
export async function firingAlerts(q: AlertQuery, api: () => KubeApi): Promise<FiringAlert[]> {
  const query = { active: 'true', silenced: 'false', inhibited: 'false', filter: matcher('alertname', q.alertname) };
  const t = q.target;
  const text = t.kind === 'url'
    ? await fetchAlerts(t.url, query, q.timeoutMs)
    : await api().text(paths.serviceProxy(t.namespace, t.name, t.port, '/api/v2/alerts'), query);
  return readAlerts(text, q.alertname, q.now, describeTarget(t));
}
