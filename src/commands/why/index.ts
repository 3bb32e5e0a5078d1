import { DEFAULT_ALERTMANAGER, DEFAULT_ALERTNAME, parseAlertmanagerTarget, type AlertmanagerTarget } from '../../cluster/alertmanagerTarget';
import { checkSelector } from '../../kube/selector';
import { accept, checkInteger, checkName, quoted, refuse, type Checked, type Checks } from '../../kube/validate';
import { addScopeOptions, scopeArgs, type ScopeArgs } from '../status/index';
import type { Argv } from 'yargs';
import { withFleet } from '../fleet/index';
import type { WhyResult } from './run';

export interface EscalationArgs { 'escalation-config'?: string }

export interface WhyArgs extends ScopeArgs, EscalationArgs {
  pod?: string; container?: string; logs: number; save?: string; 'from-file'?: string; selector?: string;
  /** --alert: where the alerts are read and which alertname fires; absent without --alert. */
  alert?: { target: AlertmanagerTarget; alertname: string };
}

/** --escalation-config: `why`, `report` (and `verify`) print the contacts of the team an escalation goes to. */
export function addEscalationOption(y: Argv): Argv {
  return y.option('escalation-config', { type: 'string', requiresArg: true, describe: 'Escalation contacts from this YAML file (keys platform, infrastructure, senior) instead of the ConfigMap dhakacart-escalation' });
}

function checkAlertmanager(t: string): Checked<AlertmanagerTarget> {
  const target = parseAlertmanagerTarget(t);
  return target ? accept(target) : refuse(`--alertmanager ${quoted(t)} is neither an http(s) URL nor service/NAMESPACE/NAME[:PORT]`, `for example --alertmanager http://alertmanager.monitoring:9093 or --alertmanager ${DEFAULT_ALERTMANAGER}`);
}

type RawAlertArgs = { alert?: boolean; alertmanager?: string; alertname?: string; pod?: string; 'from-file'?: string; save?: string; selector?: string; 'all-namespaces'?: boolean };

/** --alert names its own pods: it takes no POD, selector, snapshot or -A; its two flags mean nothing without it. */
function alertArgs(a: RawAlertArgs, checks: Checks): WhyArgs['alert'] {
  if (!a.alert) {
    if (a.alertmanager !== undefined || a.alertname !== undefined) checks.take(refuse('--alertmanager and --alertname go with --alert', 'add --alert'));
    return undefined;
  }
  const clash = [a.pod && 'POD', a['from-file'] && '--from-file', a.save && '--save', a.selector && '--selector', a['all-namespaces'] && '-A'].filter(Boolean);
  if (clash.length) checks.take(refuse(`--alert diagnoses the pods its alerts name: it takes no ${clash.join(', ')}`, 'drop them, or drop --alert'));
  if (a.alertname !== undefined && !a.alertname.trim()) checks.take(refuse('--alertname is empty', `the default is ${DEFAULT_ALERTNAME}`));
  const target = checks.take(checkAlertmanager(a.alertmanager ?? DEFAULT_ALERTMANAGER));
  return target && { target, alertname: a.alertname ?? DEFAULT_ALERTNAME };
}

/** The workload forms `why` takes beside a pod name: deployment/NAME, statefulset/NAME (kubectl's short names too). */
export const WORKLOAD_TARGET = /^(deployment|deploy|statefulset|sts)\/(.+)$/;

/** A workload target's kind and name; null for a pod name. */
export function workloadTarget(t: string): { kind: 'deployment' | 'statefulset'; name: string } | null {
  const m = WORKLOAD_TARGET.exec(t);
  return m ? { kind: m[1]!.startsWith('d') ? 'deployment' : 'statefulset', name: m[2]! } : null;
}

function checkTarget(t: string): Checked<string> {
  const w = workloadTarget(t);
  if (!w) return checkName(t, 'pod', 'subdomain');
  const c = checkName(w.name, w.kind, 'subdomain');
  return c.ok ? accept(t) : c;
}

export const whyCommand = withFleet<WhyArgs, WhyResult>({
  command: 'why [pod]',
  describe: 'Diagnose a crash-looping pod (or every unhealthy one): cause, evidence and the fix',
  builder: (y) =>
    addEscalationOption(addScopeOptions(y))
      .positional('pod', { type: 'string', describe: 'Pod (or deployment/NAME, statefulset/NAME) to diagnose (default: every unhealthy pod of the selector and of what it depends on)' })
      .option('container', { alias: 'c', type: 'string', requiresArg: true, describe: 'Container to focus on (default: the failing one)' })
      .option('logs', { type: 'string', default: '5', requiresArg: true, describe: 'How many error lines of the previous log to show' })
      .option('selector', { alias: 'l', type: 'string', requiresArg: true, describe: 'Label selector when no pod is named' })
      .option('save', { type: 'string', requiresArg: true, describe: 'Also write the gathered snapshot to FILE (for CI artefacts and post-incident review)' })
      .option('from-file', { type: 'string', requiresArg: true, describe: 'Diagnose a saved snapshot instead of asking the cluster' })
      .option('alert', { type: 'boolean', describe: `Diagnose the pods named (labels pod, namespace) by the firing alerts of Alertmanager (alertname ${DEFAULT_ALERTNAME})` })
      .option('alertmanager', { type: 'string', requiresArg: true, describe: `With --alert: Alertmanager's URL, or service/NAMESPACE/NAME[:PORT] through the API server (default ${DEFAULT_ALERTMANAGER})` })
      .option('alertname', { type: 'string', requiresArg: true, describe: `With --alert: the alert to follow (default ${DEFAULT_ALERTNAME})` })
      .conflicts('from-file', 'save'),
  args: (parsed, checks) => {
    const a = parsed as Omit<WhyArgs, 'logs' | 'sinceMs' | 'alert'> & { logs: string } & RawAlertArgs;
    checks.optional(a.pod, checkTarget);
    checks.optional(a.container, (t) => checkName(t, 'container', 'label'));
    checks.optional(a.selector, checkSelector);
    const alert = alertArgs(a, checks);
    return { ...a, alert, sinceMs: scopeArgs(a, checks), logs: checks.take(checkInteger(a.logs, '--logs', { min: 0, max: 10_000 })) ?? 0 };
  },
  run: async (g, a, io) => (await import('./run')).runWhy(g, a, io),
  render: async (r, g, io) => (await import('./run')).renderWhy(r, g, io),
}, {
  solo: (a) => [a.alert && '--alert', a.save && '--save', a['from-file'] && '--from-file'].filter((f): f is string => !!f),
  view: async () => (await import('./fleet')).whyFleet,
});
