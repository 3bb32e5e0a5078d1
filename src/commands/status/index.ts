import type { Argv } from 'yargs';
import { checkDuration } from '../../kube/duration';
import { DEFAULT_HEALTH_WINDOW_MS } from '../../kube/podState';
import { checkSelector } from '../../kube/selector';
import type { Checks } from '../../kube/validate';
import { withFleet } from '../fleet/index';
import type { StatusResult } from './run';

/** What `status` and `why` share: where to look and how far back a restart counts. */
export interface ScopeArgs { 'all-namespaces'?: boolean; since?: string; sinceMs: number }

export function addScopeOptions(y: Argv): Argv {
  return y
    .option('all-namespaces', { alias: 'A', type: 'boolean', describe: 'Every namespace, like kubectl -A (-n is ignored)' })
    .option('since', { type: 'string', requiresArg: true, describe: 'A container that restarted within DURATION after a crash counts as unhealthy even while Running (default 1h)' });
}

export function scopeArgs(a: { since?: string }, checks: Checks): number {
  return checks.optional(a.since, (t) => checkDuration(t, '--since')) ?? DEFAULT_HEALTH_WINDOW_MS;
}

export interface StatusArgs extends ScopeArgs { selector?: string; all?: boolean; watch?: boolean }

export const statusCommand = withFleet<StatusArgs, StatusResult>({
  command: 'status',
  describe: 'Pods of DhakaCart, their Deployments and the workloads they depend on',
  builder: (y) =>
    addScopeOptions(y)
      .option('selector', { alias: 'l', type: 'string', requiresArg: true, describe: 'Label selector (default: app in (dhakacart-backend,dhakacart-frontend))' })
      .option('all', { type: 'boolean', describe: 'Every pod in the namespace' })
      .option('watch', { alias: 'w', type: 'boolean', describe: 'Keep watching and print each change until Ctrl-C' })
      .conflicts('selector', 'all'),
  args: (parsed, checks) => {
    const a = parsed as Omit<StatusArgs, 'sinceMs'>;
    checks.optional(a.selector, checkSelector);
    return { ...a, sinceMs: scopeArgs(a, checks) };
  },
  run: async (g, a, io) => (await import('./run')).runStatus(g, a, io),
  render: async (r, g, io) => (await import('./run')).renderStatus(r, g, io),
}, {
  solo: (a) => (a.watch ? ['--watch'] : []),
  view: async () => (await import('./fleet')).statusFleet,
});
