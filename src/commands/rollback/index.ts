import { addChangeOptions, type ChangeArgs } from '../change/options';
import type { CommandSpec } from '../types';

export interface RollbackArgs extends ChangeArgs { deployment?: string; 'to-revision': number }

export const rollbackCommand: CommandSpec<RollbackArgs> = {
  command: 'rollback [deployment]',
  describe: 'Go back to the previous revision, exactly as kubectl rollout undo (shows the history first)',
  builder: (y) =>
    addChangeOptions(y)
      .positional('deployment', { type: 'string', describe: 'deployment/NAME or a pod name (default: deployment/dhakacart-backend)' })
      .option('to-revision', { type: 'number', default: 0, requiresArg: true, describe: 'The revision to go back to (default: the previous one)' }),
  run: async (g, a, io) => (await import('./run')).runRollback(g, a, io),
};
