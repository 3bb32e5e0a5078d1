import { checkSeconds } from '../../kube/duration';
import { checkMemory } from '../../kube/quantity';
import { accept, checkImage, checkInteger, checkName, quoted, refuse, type Checked, type Checks } from '../../kube/validate';
import { addChangeOptions, checkChangeArgs, type ChangeArgs } from '../../change/options';
import type { ChangeReport } from '../../change/result';
import type { CommandSpec } from '../types';

export const FIX_KINDS = ['oom', 'probe', 'image', 'db', 'evicted'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

export interface FixArgs extends ChangeArgs {
  kind: FixKind;
  target?: string;
  container?: string;
  memory?: string;
  'memory-request'?: string;
  'initial-delay'?: number;
  'probe-timeout'?: number;
  period?: number;
  'failure-threshold'?: number;
  disable?: boolean;
  to?: string;
  port?: number | string;
  path?: string;
}

/** The flags as yargs hands them over: numbers stay text until checked. */
type FixFlags = Omit<FixArgs, 'initial-delay' | 'probe-timeout' | 'period' | 'failure-threshold' | 'port'>
  & Record<'initial-delay' | 'probe-timeout' | 'period' | 'failure-threshold' | 'port', string | undefined>;

/** Which options belong to which fix, so a misplaced one is a usage error, not ignored. */
export const FIX_OPTIONS: Record<FixKind, (keyof FixArgs)[]> = {
  oom: ['memory', 'memory-request', 'container'],
  probe: ['initial-delay', 'probe-timeout', 'period', 'failure-threshold', 'disable', 'port', 'path', 'container'],
  image: ['to', 'container'],
  db: [],
  evicted: [],
};

/** A container port as Kubernetes takes it: 1-65535, or an IANA service name (a named port). */
function checkPort(text: string): Checked<number | string> {
  if (/^\d+$/.test(text.trim())) return checkInteger(text, '--port', { min: 1, max: 65535 });
  return /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*$/.test(text) ? accept(text)
    : refuse(`invalid value ${quoted(text)} for --port`, 'a port number (1-65535) or the name of a declared container port');
}

function checkPath(text: string): Checked<string> {
  return /^\/[\x21-\x7e]*$/.test(text) ? accept(text) : refuse(`invalid value ${quoted(text)} for --path`, 'an HTTP path starting with /, without spaces');
}

function checkFix(a: FixFlags, checks: Checks): FixArgs {
  checkChangeArgs(a, a.target, checks);
  checks.optional(a.container, (t) => checkName(t, 'container', 'label'));
  checks.optional(a.memory, (t) => checkMemory(t, '--memory'));
  checks.optional(a['memory-request'], (t) => checkMemory(t, '--memory-request'));
  checks.optional(a.to, (t) => checkImage(t, '--to'));
  return {
    ...a,
    'initial-delay': checks.optional(a['initial-delay'], (t) => checkSeconds(t, '--initial-delay', 0)),
    'probe-timeout': checks.optional(a['probe-timeout'], (t) => checkSeconds(t, '--probe-timeout', 1)),
    period: checks.optional(a.period, (t) => checkSeconds(t, '--period', 1)),
    'failure-threshold': checks.optional(a['failure-threshold'], (t) => checkInteger(t, '--failure-threshold', { min: 1 })),
    port: checks.optional(a.port, checkPort),
    path: checks.optional(a.path, checkPath),
  };
}

export const fixCommand: CommandSpec<FixArgs, ChangeReport> = {
  command: 'fix <kind> [target]',
  describe: 'Remedy a cause: oom (memory), probe (liveness), image (go back), db (check the path, restart), evicted (clean up replaced pods)',
  builder: (y) =>
    addChangeOptions(y)
      .positional('kind', { choices: FIX_KINDS, describe: 'What to fix' })
      .positional('target', { type: 'string', describe: 'deployment/NAME or a pod name (default: deployment/dhakacart-backend)' })
      .option('container', { alias: 'c', type: 'string', requiresArg: true, describe: 'Container to change (default: backend)' })
      .option('memory', { type: 'string', requiresArg: true, describe: 'oom: new memory limit (default: the larger of 1Gi and twice the current)' })
      .option('memory-request', { type: 'string', requiresArg: true, describe: 'oom: new memory request (default: half the limit)' })
      .option('initial-delay', { type: 'string', requiresArg: true, describe: 'probe: initialDelaySeconds, in seconds or as 1m (default 60)' })
      .option('probe-timeout', { type: 'string', requiresArg: true, describe: 'probe: timeoutSeconds of the probe (default 10); --timeout is the rollout wait' })
      .option('period', { type: 'string', requiresArg: true, describe: 'probe: periodSeconds' })
      .option('failure-threshold', { type: 'string', requiresArg: true, describe: 'probe: failureThreshold' })
      .option('disable', { type: 'boolean', describe: 'probe: remove the liveness probe (temporary!)' })
      .option('port', { type: 'string', requiresArg: true, describe: 'probe: point the probe at this port (number or named port) instead of relaxing it' })
      .option('path', { type: 'string', requiresArg: true, describe: 'probe: point the HTTP probe at this path' })
      .option('to', { type: 'string', requiresArg: true, describe: 'image: IMAGE or TAG to go to (default: the previous different image)' }),
  args: (parsed, checks) => checkFix(parsed as unknown as FixFlags, checks),
  run: async (g, a, io) => (await import('./run')).runFix(g, a, io),
  render: async (r, g, io) => (await import('../../change/render')).renderChange(r, g.output, io),
};
