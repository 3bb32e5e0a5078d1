import type { CommandSpec } from '../types';

export interface WhyArgs { pod?: string; container?: string; logs: number; save?: string; 'from-file'?: string; selector?: string }

export const whyCommand: CommandSpec<WhyArgs> = {
  command: 'why [pod]',
  describe: 'Diagnose a crash-looping pod (or every unhealthy one): cause, evidence and the fix',
  builder: (y) =>
    y
      .positional('pod', { type: 'string', describe: 'Pod to diagnose (default: every unhealthy pod of the selector)' })
      .option('container', { alias: 'c', type: 'string', requiresArg: true, describe: 'Container to focus on (default: the failing one)' })
      .option('logs', { type: 'number', default: 5, requiresArg: true, describe: 'How many error lines of the previous log to show' })
      .option('selector', { alias: 'l', type: 'string', requiresArg: true, describe: 'Label selector when no pod is named' })
      .option('save', { type: 'string', requiresArg: true, describe: 'Also write the gathered snapshot to FILE (for CI artefacts and post-incident review)' })
      .option('from-file', { type: 'string', requiresArg: true, describe: 'Diagnose a saved snapshot instead of asking the cluster' })
      .conflicts('from-file', 'save'),
  run: async (g, a, io) => (await import('./run')).runWhy(g, a, io),
};
