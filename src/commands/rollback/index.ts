import { checkInteger, type Checks } from '../../kube/validate';
import { addChangeOptions, checkChangeArgs, type ChangeArgs } from '../../change/options';
import type { ChangeReport } from '../../change/result';
import type { CommandSpec } from '../types';

export interface RollbackArgs extends ChangeArgs { deployment?: string; 'to-revision': number }

function checkRollback(a: Omit<RollbackArgs, 'to-revision'> & { 'to-revision': string }, checks: Checks): RollbackArgs {
  checkChangeArgs(a, a.deployment, checks);
  // Revisions are int64 on the server; past 2^53 a number would silently name another one.
  const rev = checks.take(checkInteger(a['to-revision'], '--to-revision', { min: 0, max: Number.MAX_SAFE_INTEGER }));
  return { ...a, 'to-revision': rev ?? 0 };
}

export const rollbackCommand: CommandSpec<RollbackArgs, ChangeReport> = {
  command: 'rollback [deployment]',
  describe: 'Go back to the newest earlier revision that ran healthy (--to-revision N: exactly kubectl rollout undo); shows the history first',
  builder: (y) =>
    addChangeOptions(y)
      .positional('deployment', { type: 'string', describe: 'deployment/NAME or a pod name (default: deployment/dhakacart-backend)' })
      .option('to-revision', { type: 'string', default: '0', requiresArg: true, describe: 'The revision to go back to, as kubectl rollout undo --to-revision (default: the newest that ran healthy, else the previous one)' }),
  args: (parsed, checks) => checkRollback(parsed as unknown as Omit<RollbackArgs, 'to-revision'> & { 'to-revision': string }, checks),
  run: async (g, a, io) => (await import('./run')).runRollback(g, a, io),
  render: async (r, g, io) => (await import('../../change/render')).renderChange(r, g.output, io),
};
