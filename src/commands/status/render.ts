import { humanDuration } from '../../kube/duration';
import type { PodSummary } from '../../kube/podState';
import { describeGaps } from '../../diagnose/unread';
import type { Colors } from '../../render/color';
import { renderTable } from '../../render/table';
import type { StatusPod, StatusView } from './model';

export const POD_HEAD = ['NAME', 'APP', 'READY', 'STATUS', 'RESTARTS', 'LAST TERMINATION', 'NODE', 'AGE'];
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

export function podRow(p: StatusPod, d: PodSummary | undefined, wide: boolean, now: number, c: Colors): string[] {
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
  return row;
}

export function podHead(wide: boolean): string[] {
  return wide ? [...POD_HEAD, ...WIDE_EXTRA] : POD_HEAD;
}

export function renderStatusTable(view: StatusView, wide: boolean, now: number, c: Colors): string {
  const { report } = view;
  const parts: string[] = [];
  if (report.deployments.length) {
    parts.push(renderTable(
      ['DEPLOYMENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'REVISION', 'IMAGES'],
      report.deployments.map((d) => {
        const ok = d.available >= d.desired && d.updated >= d.desired;
        const ready = `${d.ready}/${d.desired}`;
        return [d.name, ok ? ready : c.red(ready), String(d.updated), String(d.available), d.revision === null ? '<none>' : String(d.revision), d.images.join(',')];
      }),
    ));
  }
  if (report.pods.length) {
    parts.push(renderTable(podHead(wide), report.pods.map((p) => podRow(p, view.details.get(p.name), wide, now, c))));
  } else {
    parts.push(`No pods found in namespace ${report.namespace}.\n`);
  }
  if (report.notLookedAt?.length) parts.push(c.dim(`Not looked at: ${describeGaps(report.notLookedAt)}`) + '\n');
  const bad = report.pods.filter((p) => !p.healthy).length;
  parts.push(bad
    ? c.red(`${bad} of ${report.pods.length} pods unhealthy in namespace ${report.namespace}. Next: kubectl dhakacart why -n ${report.namespace}`) + '\n'
    : c.green(`All ${report.pods.length} pods healthy in namespace ${report.namespace}.`) + '\n');
  return parts.join('\n');
}
