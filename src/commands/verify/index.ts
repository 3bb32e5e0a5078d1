import { checkDuration } from '../../kube/duration';
import { checkTarget } from '../../kube/target';
import type { Checks } from '../../kube/validate';
import { checkPath } from '../../verify/judge';
import type { CommandSpec } from '../types';
import { addEscalationOption, type EscalationArgs } from '../why/index';
import type { VerifyResult } from './run';

export interface VerifyArgs extends EscalationArgs { deployment?: string; check: string[]; settle: string; timeout: string; 'rollback-on-failure'?: boolean; settleMs: number; timeoutMs: number }

export const verifyCommand: CommandSpec<VerifyArgs, VerifyResult> = {
  command: 'verify [deployment]',
  describe: 'Follow the rollout and the new pods, and ask the app, until healthy for --settle (exit 0), not (1) or timed out (5)',
  builder: (y) =>
    addEscalationOption(y).positional('deployment', { type: 'string', describe: 'deployment/NAME or a pod name (default: deployment/dhakacart-backend)' })
      .option('check', { type: 'string', array: true, default: [], requiresArg: true, describe: 'Another path the app must answer 2xx (repeatable), beside its probe path and the runbook\'s /health and /api/products' })
      .option('settle', { type: 'string', default: '10s', requiresArg: true, describe: 'How long the pods and the app must stay healthy in a row' })
      .option('timeout', { type: 'string', default: '5m', requiresArg: true, describe: 'How long to wait in all, the rollout included' })
      .option('rollback-on-failure', { type: 'boolean', describe: 'If the new pods fail: diagnose them, roll back to the last healthy revision, exit non-zero (for CI)' }),
  args: (parsed, checks: Checks) => {
    const a = parsed as unknown as Omit<VerifyArgs, 'settleMs' | 'timeoutMs'>;
    checks.optional(a.deployment, checkTarget);
    for (const p of a.check) checks.take(checkPath(p));
    return { ...a, settleMs: checks.take(checkDuration(a.settle, '--settle')) ?? 0, timeoutMs: checks.take(checkDuration(a.timeout, '--timeout')) ?? 0 };
  },
  run: async (g, a, io) => (await import('./run')).runVerify(g, a, io),
  render: async (r, g, io) => (await import('./render')).renderVerify(r, g.output, io),
};
