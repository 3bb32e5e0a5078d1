import { usageError } from '../errors';
import type { Container, Deployment, Probe } from '../kube/types';
import { pickContainer } from './container';
import { containerChange, type Change, type Plan } from './plan';

export interface ProbeOptions {
  container?: string;
  initialDelay?: number;
  timeout?: number;
  period?: number;
  failureThreshold?: number;
  disable?: boolean;
  /** Point the probe at this port (a number, or a named container port) instead of relaxing it. */
  port?: number | string;
  /** Point the HTTP probe at this path. */
  path?: string;
}

/** Contract defaults: initialDelaySeconds 60, timeoutSeconds 10. */
export const PROBE_DEFAULTS = { initialDelaySeconds: 60, timeoutSeconds: 10 } as const;

const FIELDS = [
  ['initialDelay', 'initialDelaySeconds'],
  ['timeout', 'timeoutSeconds'],
  ['period', 'periodSeconds'],
  ['failureThreshold', 'failureThreshold'],
] as const;

export function planProbe(dep: Deployment, o: ProbeOptions): Plan {
  const c = pickContainer(dep, o.container);
  const probe: Probe | undefined = c.livenessProbe;
  const base = `spec.template.spec.containers[${c.name}].livenessProbe`;
  const plan = (changes: Change[], fields: Record<string, unknown>, warnings: string[]): Plan => ({
    action: 'fix probe', deployment: dep.metadata.name, changes,
    ...(changes.length ? containerChange(dep, c.name, fields) : { patch: null, expect: {} }),
    warnings, rollout: changes.length > 0,
    noop: changes.length ? null : probe ? `the liveness probe of ${c.name} already has these settings` : `container ${c.name} has no liveness probe`,
  });
  if (!probe) return plan([], {}, []);

  const warnings: string[] = [];
  if (!c.startupProbe) {
    warnings.push(`${c.name} has no startupProbe: for a slow starter, a startupProbe lets the liveness probe stay strict once the app is up`);
  }
  if (o.disable) {
    warnings.push(`DISABLING the liveness probe of ${c.name}: a hung process will no longer be restarted. This is temporary; restore it once the cause is fixed.`);
    return plan([{ path: base, from: 'set', to: null }], { livenessProbe: null }, warnings);
  }
  if (o.port !== undefined || o.path !== undefined) return plan(...retarget(c, probe, base, o));
  const want: Record<string, number> = {};
  for (const [flag, field] of FIELDS) {
    // Defaults only ever relax: a probe already looser than the default is left alone.
    const dflt = (PROBE_DEFAULTS as Record<string, number>)[field];
    const v = o[flag] ?? (dflt === undefined ? undefined : Math.max(dflt, probe[field] ?? 0));
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < (field === 'initialDelaySeconds' ? 0 : 1)) throw usageError(`invalid value ${v} for the ${field} of the liveness probe`, 'use a whole number of seconds (or failures)');
    want[field] = v;
  }
  const changes: Change[] = Object.entries(want)
    .filter(([k, v]) => probe[k as keyof Probe] !== v)
    .map(([k, v]) => ({ path: `${base}.${k}`, from: (probe[k as keyof Probe] as number | undefined) ?? null, to: v }));
  const fields = Object.fromEntries(changes.map((ch) => [ch.path.slice(base.length + 1), ch.to]));
  return plan(changes, { livenessProbe: fields }, warnings);
}

const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;
const OTHER_PROBES = ['readinessProbe', 'startupProbe'] as const;

/**
 * --port/--path: change where the liveness probe looks, and only that (no relaxing: a probe
 * aimed right needs no more patience). The readiness and startup probes that look at the same
 * wrong port or path get the same change, or they would keep failing the same way.
 */
function retarget(c: Container, probe: Probe, base: string, o: ProbeOptions): [Change[], Record<string, unknown>, string[]] {
  const handler = HANDLERS.find((h) => probe[h]);
  if (!handler) throw usageError(`the liveness probe of ${c.name} runs a command (exec): it has no port or path to change`, 'use --initial-delay/--probe-timeout, or --disable');
  if (o.path !== undefined && handler !== 'httpGet') throw usageError(`the liveness probe of ${c.name} is ${handler}: only an httpGet probe has a path`, 'pass --port only');
  if (typeof o.port === 'string' && !(c.ports ?? []).some((x) => x.name === o.port)) {
    throw usageError(`container ${c.name} declares no port named "${o.port}"`, `declared: ${(c.ports ?? []).map((x) => x.name ?? x.containerPort).join(', ') || 'none'}; pass a number`);
  }
  const current = probe[handler] as { port: number | string; path?: string };
  const changes: Change[] = [];
  const fields: Record<string, unknown> = {};
  const aim = (name: string, p: Probe, path: string) => {
    const h = p[handler] as { port: number | string; path?: string } | undefined;
    if (!h) return;
    const set: Record<string, unknown> = {};
    if (o.port !== undefined && h.port === current.port && h.port !== o.port) {
      changes.push({ path: `${path}.${handler}.port`, from: h.port, to: o.port });
      set.port = o.port;
    }
    if (o.path !== undefined && (h.path ?? '/') === (current.path ?? '/') && h.path !== o.path) {
      changes.push({ path: `${path}.${handler}.path`, from: h.path ?? null, to: o.path });
      set.path = o.path;
    }
    if (Object.keys(set).length) fields[name] = { [handler]: set };
  };
  aim('livenessProbe', probe, base);
  for (const other of OTHER_PROBES) if (c[other]) aim(other, c[other]!, base.replace(/livenessProbe$/, other));
  return [changes, fields, []];
}
