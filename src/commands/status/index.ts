import { checkSelector } from '../../kube/selector';
import type { CommandSpec } from '../types';

export interface StatusArgs { selector?: string; all?: boolean; watch?: boolean }

export const statusCommand: CommandSpec<StatusArgs> = {
  command: 'status',
  describe: 'Pods of DhakaCart and a summary of their Deployments',
  builder: (y) =>
    y
      .option('selector', { alias: 'l', type: 'string', requiresArg: true, describe: 'Label selector (default: app in (dhakacart-backend,dhakacart-frontend))' })
      .option('all', { type: 'boolean', describe: 'Every pod in the namespace' })
      .option('watch', { alias: 'w', type: 'boolean', describe: 'Keep watching and print each change until Ctrl-C' })
      .conflicts('selector', 'all'),
  args: (parsed, checks) => {
    const a = parsed as StatusArgs;
    checks.optional(a.selector, checkSelector);
    return a;
  },
  run: async (g, a, io) => (await import('./run')).runStatus(g, a, io),
};
