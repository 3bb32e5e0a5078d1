import { checkSelector } from '../../kube/selector';
import { accept, checkInteger, checkName, type Checked } from '../../kube/validate';
import { addScopeOptions, scopeArgs, type ScopeArgs } from '../status/index';
import type { CommandSpec } from '../types';
import type { WhyResult } from './run';

export interface WhyArgs extends ScopeArgs { pod?: string; container?: string; logs: number; save?: string; 'from-file'?: string; selector?: string }

/** The workload forms `why` takes beside a pod name: deployment/NAME, statefulset/NAME (kubectl's short names too). */
export const WORKLOAD_TARGET = /^(deployment|deploy|statefulset|sts)\/(.+)$/;

function checkTarget(t: string): Checked<string> {
  const m = WORKLOAD_TARGET.exec(t);
  if (!m) return checkName(t, 'pod', 'subdomain');
  const c = checkName(m[2]!, m[1]!.startsWith('d') ? 'deployment' : 'statefulset', 'subdomain');
  return c.ok ? accept(t) : c;
}

export const whyCommand: CommandSpec<WhyArgs, WhyResult> = {
  command: 'why [pod]',
  describe: 'Diagnose a crash-looping pod (or every unhealthy one): cause, evidence and the fix',
  builder: (y) =>
    addScopeOptions(y)
      .positional('pod', { type: 'string', describe: 'Pod (or deployment/NAME, statefulset/NAME) to diagnose (default: every unhealthy pod of the selector and of what it depends on)' })
      .option('container', { alias: 'c', type: 'string', requiresArg: true, describe: 'Container to focus on (default: the failing one)' })
      .option('logs', { type: 'string', default: '5', requiresArg: true, describe: 'How many error lines of the previous log to show' })
      .option('selector', { alias: 'l', type: 'string', requiresArg: true, describe: 'Label selector when no pod is named' })
      .option('save', { type: 'string', requiresArg: true, describe: 'Also write the gathered snapshot to FILE (for CI artefacts and post-incident review)' })
      .option('from-file', { type: 'string', requiresArg: true, describe: 'Diagnose a saved snapshot instead of asking the cluster' })
      .conflicts('from-file', 'save'),
  args: (parsed, checks) => {
    const a = parsed as Omit<WhyArgs, 'logs' | 'sinceMs'> & { logs: string };
    checks.optional(a.pod, checkTarget);
    checks.optional(a.container, (t) => checkName(t, 'container', 'label'));
    checks.optional(a.selector, checkSelector);
    return { ...a, sinceMs: scopeArgs(a, checks), logs: checks.take(checkInteger(a.logs, '--logs', { min: 0, max: 10_000 })) ?? 0 };
  },
  run: async (g, a, io) => (await import('./run')).runWhy(g, a, io),
  render: async (r, g, io) => (await import('./run')).renderWhy(r, g, io),
};
