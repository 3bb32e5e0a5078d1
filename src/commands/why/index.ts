import { checkSelector } from '../../kube/selector';
import { checkInteger, checkName } from '../../kube/validate';
import type { CommandSpec } from '../types';

export interface WhyArgs { pod?: string; container?: string; logs: number; save?: string; 'from-file'?: string; selector?: string }

export const whyCommand: CommandSpec<WhyArgs> = {
  command: 'why [pod]',
  describe: 'Diagnose a crash-looping pod (or every unhealthy one): cause, evidence and the fix',
  builder: (y) =>
    y
      .positional('pod', { type: 'string', describe: 'Pod to diagnose (default: every unhealthy pod of the selector)' })
      .option('container', { alias: 'c', type: 'string', requiresArg: true, describe: 'Container to focus on (default: the failing one)' })
      .option('logs', { type: 'string', default: '5', requiresArg: true, describe: 'How many error lines of the previous log to show' })
      .option('selector', { alias: 'l', type: 'string', requiresArg: true, describe: 'Label selector when no pod is named' })
      .option('save', { type: 'string', requiresArg: true, describe: 'Also write the gathered snapshot to FILE (for CI artefacts and post-incident review)' })
      .option('from-file', { type: 'string', requiresArg: true, describe: 'Diagnose a saved snapshot instead of asking the cluster' })
      .conflicts('from-file', 'save'),
  args: (parsed, checks) => {
    const a = parsed as Omit<WhyArgs, 'logs'> & { logs: string };
    checks.optional(a.pod, (t) => checkName(t, 'pod', 'subdomain'));
    checks.optional(a.container, (t) => checkName(t, 'container', 'label'));
    checks.optional(a.selector, checkSelector);
    return { ...a, logs: checks.take(checkInteger(a.logs, '--logs', { min: 0, max: 10_000 })) ?? 0 };
  },
  run: async (g, a, io) => (await import('./run')).runWhy(g, a, io),
};
