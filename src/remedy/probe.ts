import { usageError } from '../errors';
import type { Deployment, Probe } from '../kube/types';
import { pickContainer } from './container';
import { containerChange, type Change, type Plan } from './plan';

export interface ProbeOptions {
  container?: string;
  initialDelay?: number;
  timeout?: number;
  period?: number;
  failureThreshold?: number;
  disable?: boolean;
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
