import type { CheckLevel } from '../../check/types';
import { checkName, quoted, refuse, type Checked } from '../../kube/validate';
import { withFleet } from '../fleet/index';
import type { CheckReport } from './run';

/** A workload named on the command line: `NAME` (a Deployment or StatefulSet), `deployment/NAME` or `statefulset/NAME`. */
export interface WorkloadName { kind: 'Deployment' | 'StatefulSet' | null; name: string }

const KINDS: [RegExp, WorkloadName['kind']][] = [[/^(?:deployments?|deploy)(?:\.apps)?\/(.*)$/, 'Deployment'], [/^(?:statefulsets?|sts)(?:\.apps)?\/(.*)$/, 'StatefulSet']];

export function checkWorkloadName(text: string): Checked<WorkloadName> {
  for (const [re, kind] of KINDS) {
    const m = re.exec(text);
    if (m) {
      const c = checkName(m[1]!, kind === 'Deployment' ? 'deployment' : 'statefulset', 'subdomain');
      return c.ok ? { ok: true, value: { kind, name: c.value } } : c;
    }
  }
  if (text.includes('/')) return refuse(`unsupported workload ${quoted(text)}`, 'use NAME, deployment/NAME or statefulset/NAME');
  const c = checkName(text, 'workload', 'subdomain');
  return c.ok ? { ok: true, value: { kind: null, name: c.value } } : c;
}

export interface CheckArgs { workloads: WorkloadName[]; files: string[]; failOn: CheckLevel; strict: boolean }

export const checkCommand = withFleet<CheckArgs, CheckReport>({
  command: 'check [deployment..]',
  describe: "The runbook's Prevention Checklist against live Deployments and StatefulSets, or manifests before they are applied",
  builder: (y) =>
    y.positional('deployment', { type: 'string', array: true, describe: 'Deployments or StatefulSets to check (default: every one in the namespace, or in the files)' })
      .option('filename', { alias: 'f', type: 'string', array: true, describe: 'Check manifests instead: a file, a directory of .yaml/.yml/.json files, or - for stdin (kustomize build . | ... -f -); repeatable' })
      .option('fail-on', { type: 'string', choices: ['fail', 'warn'], default: 'fail', describe: 'Exit 1 on a result at or above this' })
      .option('strict', { type: 'boolean', describe: 'An image tag without a registry digest fails too' }),
  args: (parsed, checks) => {
    const a = parsed as { deployment?: string[]; filename?: string[]; 'fail-on'?: string; strict?: boolean };
    const workloads = (a.deployment ?? []).map((t) => checks.take(checkWorkloadName(t))).filter((w): w is WorkloadName => !!w);
    const files = a.filename ?? [];
    if (a.filename && !files.length) checks.take(refuse('-f needs a file, a directory or - (stdin)'));
    if (files.filter((f) => f === '-').length > 1) checks.take(refuse('-f - is given twice', 'stdin can be read once'));
    for (const f of files) if (!f.trim()) checks.take(refuse('-f needs a file, a directory or -'));
    return { workloads, files, failOn: a['fail-on'] === 'warn' ? 'warn' : 'fail', strict: !!a.strict };
  },
  outputs: ['sarif', 'junit'],
  run: async (g, a, io) => (await import('./run')).runCheck(g, a, io),
  render: async (r, g, io) => (await import('./render')).renderCheck(r, g, io),
}, {
  // stdin is read once: it cannot be checked against each cluster.
  solo: (a) => ((a.filename as string[] | undefined)?.includes('-') ? ['-f -'] : []),
  view: async () => (await import('./fleet')).checkFleet,
});
