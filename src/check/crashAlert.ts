import { shellQuote } from '../kube/shell';
import type { PrometheusRule } from '../kube/types';
import { createBeside, verdict } from './fix';
import type { CheckContext, Rule, Verdict } from './types';

export const ALERT = 'DhakaCartPodCrashLooping';

/** An alert that fires on this workload's crash loop: the runbook's by name, or one on the crash-loop metrics of its namespace. */
function covering(rules: PrometheusRule[], ns: string): { rule: string; alert: string } | null {
  for (const r of rules) {
    for (const g of r.spec?.groups ?? []) {
      for (const a of g.rules ?? []) {
        if (!a.alert) continue;
        const expr = String(a.expr ?? '');
        const onMetric = /kube_pod_container_status_restarts_total|CrashLoopBackOff/.test(expr);
        const otherNs = /namespace\s*=\s*"([^"]*)"/.exec(expr)?.[1];
        if (a.alert === ALERT || (onMetric && (otherNs === undefined || otherNs === ns))) return { rule: `${r.metadata.namespace ?? ns}/${r.metadata.name}`, alert: a.alert };
      }
    }
  }
  return null;
}

/** The runbook's alert for the workload's namespace, as a PrometheusRule to apply. */
function alertFix(ctx: CheckContext): string {
  const ns = ctx.workload.namespace;
  const rule = {
    apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule',
    metadata: { name: 'dhakacart-crashloop', namespace: ns },
    spec: { groups: [{ name: 'dhakacart.pods', rules: [{
      alert: ALERT, for: '5m', labels: { severity: 'critical' },
      expr: `max_over_time(kube_pod_container_status_waiting_reason{namespace="${ns}",reason="CrashLoopBackOff"}[5m]) >= 1`,
      annotations: { summary: 'Pod {{ $labels.pod }} is crash-looping', runbook: 'pod-crash-loop.md' },
    }] }] },
  };
  const echo = `echo ${shellQuote(JSON.stringify(rule))}`;
  return createBeside(ctx.workload, `${echo} | kubectl apply -f -`, `${echo} | kubectl apply --dry-run=client -o yaml -f -`);
}

function check(ctx: CheckContext): Verdict {
  const ns = ctx.workload.namespace;
  const inFiles = covering(ctx.alertRules.files, ns);
  if (inFiles) return verdict('pass', `alert ${inFiles.alert} in PrometheusRule ${inFiles.rule} (in the files)`);
  const c = ctx.alertRules.cluster;
  if (c.state === 'not served') return verdict('pass', 'PrometheusRule (monitoring.coreos.com/v1) is not served by this cluster: no operator-managed alert to look for');
  if (c.state === 'unreadable') return verdict('warn', `PrometheusRules not readable: ${c.reason}`);
  const live = covering(c.value, ns);
  if (live) return verdict('pass', `alert ${live.alert} in PrometheusRule ${live.rule}`);
  return verdict('fail', `no PrometheusRule alerts on a crash loop in ${ns} (${c.value.length} rule object${c.value.length === 1 ? '' : 's'} read)`, alertFix(ctx));
}

export const crashAlert: Rule = { id: 'crash-alert', title: 'Crash-loop alert configured', check };
