import { checkDuration } from '../../kube/duration';
import type { CommandSpec } from '../types';
import { addEscalationOption, type EscalationArgs } from '../why/index';
import type { ReportOutcome } from './run';

export type ReportFormat = 'md' | 'json' | 'yaml';

export interface ReportArgs extends EscalationArgs { sinceMs: number; files: string[]; format: ReportFormat }

const TWO_HOURS = 2 * 60 * 60 * 1000;

export const reportCommand: CommandSpec<ReportArgs, ReportOutcome> = {
  command: 'report',
  describe: 'Post-incident report (Markdown): timeline, diagnosis, actions and their outcome, trends, root cause, preventive measures',
  builder: (y) =>
    addEscalationOption(y)
      .option('since', { type: 'string', requiresArg: true, describe: 'How far back the report looks (default 2h)' })
      .option('from-file', { type: 'string', array: true, requiresArg: true, describe: 'A snapshot saved with why --save during the incident (repeatable)' })
      .option('format', { type: 'string', requiresArg: true, choices: ['md', 'json'], describe: 'md (default) or json; -o json|yaml also gives the data' }),
  args: (parsed, checks) => {
    const a = parsed as EscalationArgs & { since?: string; 'from-file'?: string[]; format?: string; output?: string };
    const structured: ReportFormat = a.output === 'json' ? 'json' : a.output === 'yaml' ? 'yaml' : 'md';
    // yargs' choices allow md and json only.
    const format = (a.format as ReportFormat | undefined) ?? structured;
    return {
      'escalation-config': a['escalation-config'],
      sinceMs: checks.optional(a.since, (t) => checkDuration(t, '--since')) ?? TWO_HOURS,
      files: a['from-file'] ?? [],
      format,
    };
  },
  run: async (g, a, io) => (await import('./run')).runReport(g, a, io),
  render: async (r, g, io) => (await import('./run')).renderReport(r, g, io),
};
