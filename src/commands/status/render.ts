import { humanDuration } from '../../kube/duration';
import type { PodSummary } from '../../kube/podState';
import { describeGaps } from '../../diagnose/unread';
import type { Colors } from '../../render/color';
import { renderTable } from '../../render/table';
import { podKey, type StatusPod, type StatusView } from './model';

const POD_HEAD = ['NAME', 'APP', 'READY', 'STATUS', 'RESTARTS', 'LAST TERMINATION', 'NODE', 'AGE'];
/** With -A, like kubectl get -A: the namespace first. */
const withNs = (allNs: boolean, head: string[]) => (allNs ? ['NAMESPACE', ...head] : head);
const WIDE_EXTRA = ['IMAGE', 'IP'];

function restartsCell(p: StatusPod, d: PodSummary | undefined, now: number): string {
  if (!p.restarts || !d?.lastRestartAt) return String(p.restarts);
  return `${p.restarts} (${humanDuration(now - Date.parse(d.lastRestartAt))} ago)`;
}

function terminationCell(p: StatusPod): string {
  const t = p.lastTermination;
  if (!t) return '<none>';
  return `${t.reason ?? 'Unknown'} (exit ${t.exitCode})`;
}

export function podRow(p: StatusPod, d: PodSummary | undefined, wide: boolean, now: number, c: Colors, allNs = false): string[] {
  const status = p.healthy ? c.green(d?.status ?? p.phase) : c.red(c.bold(p.reason ?? p.phase));
  const row = [
    p.healthy ? p.name : c.red(p.name),
    p.app ?? '<none>',
    p.ready,
    status,
    p.restarts > 0 ? c.yellow(restartsCell(p, d, now)) : restartsCell(p, d, now),
    terminationCell(p),
    p.node ?? '<none>',
    p.age,
  ];
  if (wide) row.push(d?.images.join(',') || '<none>', d?.ip ?? '<none>');
  return allNs ? [p.namespace ?? '', ...row] : row;
}

export function podHead(wide: boolean, allNs = false): string[] {
  return withNs(allNs, wide ? [...POD_HEAD, ...WIDE_EXTRA] : POD_HEAD);
}

const whereOf = (report: StatusView['report']) => (report.namespace === null ? 'in all namespaces' : `in namespace ${report.namespace}`);

/** One plain line per problem (pods, workloads, dependencies); none when all is well. */
export function statusProblems(report: StatusView['report']): string[] {
  const bad = report.pods.filter((p) => !p.healthy).length;
  const lines: string[] = [];
  if (bad) lines.push(`${bad} of ${report.pods.length} pods unhealthy ${whereOf(report)}.`);
  for (const d of report.deployments.filter((x) => !x.healthy)) lines.push(`deployment/${d.name}${report.namespace === null ? ` (${d.namespace})` : ''} is ${d.state}: ${d.reason}.`);
  for (const d of report.dependencies.filter((x) => x.healthy === false)) lines.push(`Dependency ${d.kind.toLowerCase()}/${d.name} is failing: ${d.reason}.`);
  return lines;
}

/** The line for a namespace with no problem. */
export function allHealthyLine(report: StatusView['report']): string {
  const deps = report.dependencies.filter((d) => d.healthy).length;
  return `All ${report.pods.length} pods healthy ${whereOf(report)}${deps ? `, and the ${deps} dependenc${deps === 1 ? 'y' : 'ies'} they use` : ''}.`;
}

/** One line per problem, and the command to run next. */
function verdictLines(view: StatusView, c: Colors): string[] {
  const { report } = view;
  const nsFlag = report.namespace === null ? '-A' : `-n ${report.namespace}`;
  const lines = statusProblems(report);
  if (!lines.length) return [c.green(allHealthyLine(report))];
  const bad = report.pods.some((p) => !p.healthy);
  const stoppedOnly = !bad && !report.dependencies.some((d) => d.healthy === false) && report.deployments.every((d) => d.healthy || d.state === 'stopped');
  const next = stoppedOnly
    ? report.deployments.filter((d) => d.state === 'stopped').map((d) => `kubectl dhakacart emergency resume deployment/${d.name} -n ${d.namespace}`).join('; ')
    : `kubectl dhakacart why ${nsFlag}`;
  return [...lines.map((l) => c.red(l)), c.red(`Next: ${next}`)];
}

export function renderStatusTable(view: StatusView, wide: boolean, now: number, c: Colors): string {
  const { report } = view;
  const allNs = report.namespace === null;
  const parts: string[] = [];
  if (report.deployments.length) {
    parts.push(renderTable(
      withNs(allNs, ['DEPLOYMENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'REVISION', 'IMAGES', 'STATE']),
      report.deployments.map((d) => {
        const ready = `${d.ready}/${d.desired}`;
        const row = [d.name, d.healthy ? ready : c.red(ready), String(d.updated), String(d.available), d.revision === null ? '<none>' : String(d.revision), d.images.join(','), d.healthy ? d.state : c.red(c.bold(d.state))];
        return allNs ? [d.namespace ?? '', ...row] : row;
      }),
    ));
  }
  if (report.pods.length) {
    parts.push(renderTable(podHead(wide, allNs), report.pods.map((p) => podRow(p, view.details.get(podKey(p.namespace, p.name)), wide, now, c, allNs))));
  } else {
    parts.push(`No pods found ${allNs ? 'in any namespace' : `in namespace ${report.namespace}`}.\n`);
  }
  if (report.dependencies.length) {
    parts.push(renderTable(withNs(allNs, ['DEPENDENCY', 'VIA', 'HEALTHY', 'REASON']), report.dependencies.map((d) => {
      const ok = d.healthy === null ? c.yellow('unknown') : d.healthy ? c.green('yes') : c.red(c.bold('no'));
      const row = [`${d.kind.toLowerCase()}/${d.name}`, d.via, ok, d.reason ?? ''];
      return allNs ? [d.namespace, ...row] : row;
    })));
  }
  if (report.notLookedAt?.length) parts.push(c.dim(`Not looked at: ${describeGaps(report.notLookedAt)}`) + '\n');
  parts.push(verdictLines(view, c).join('\n') + '\n');
  return parts.join('\n');
}
