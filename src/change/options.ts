import type { Argv } from 'yargs';
import { checkDuration, parseDuration } from '../kube/duration';
import { checkTarget } from '../kube/target';
import type { Checks } from '../kube/validate';

/** What every change (fix, rollback, emergency) shares (CONTRACT.md). */
export interface ChangeArgs { 'dry-run'?: boolean; yes?: boolean; wait: boolean; timeout: string; settle: string }

export function addChangeOptions(y: Argv): Argv {
  return y
    .option('dry-run', { type: 'boolean', describe: 'Server-side dry run: show the change, apply nothing' })
    .option('yes', { alias: 'y', type: 'boolean', describe: 'Do not ask for confirmation (needed when not on a terminal)' })
    .option('wait', { type: 'boolean', default: true, describe: 'Wait for the rollout and verify it (--no-wait to return at once)' })
    .option('timeout', { type: 'string', default: '5m', requiresArg: true, describe: 'How long to wait for the rollout' })
    .option('settle', { type: 'string', default: '10s', requiresArg: true, describe: 'How long restart counts must stay still after the rollout' });
}

/** The shared flags and the TARGET argument, checked with the command's own flags. */
export function checkChangeArgs(a: ChangeArgs, target: string | undefined, checks: Checks): void {
  checks.take(checkDuration(a.timeout, '--timeout'));
  checks.take(checkDuration(a.settle, '--settle'));
  checks.optional(target, checkTarget);
}

export interface ChangeSettings { dryRun: boolean; yes: boolean; wait: boolean; timeoutMs: number; settleMs: number }

export function changeSettings(a: ChangeArgs): ChangeSettings {
  return {
    dryRun: !!a['dry-run'],
    yes: !!a.yes,
    wait: a.wait,
    timeoutMs: parseDuration(a.timeout, '--timeout'),
    settleMs: parseDuration(a.settle, '--settle'),
  };
}
