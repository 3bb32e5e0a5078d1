import type { FleetView } from '../fleet/index';
import { checkJson, tallyLine } from './render';
import type { CheckReport } from './run';

/** The ids of the failed checks, each once with how many workloads failed it: "probes (2), replicas". */
function failedIds(r: CheckReport): string {
  const counts = new Map<string, number>();
  for (const k of r.workloads.flatMap((w) => w.checks)) if (k.result === 'fail') counts.set(k.id, (counts.get(k.id) ?? 0) + 1);
  return [...counts].map(([id, n]) => (n > 1 ? `${id} (${n})` : id)).join(', ');
}

/** check across a fleet: each cluster's `check -o json`, and a line with its tally and the checks that failed. */
export const checkFleet: FleetView<CheckReport> = {
  json: checkJson,
  summary: (r) => {
    const n = r.workloads.length;
    const failed = failedIds(r);
    return `${r.result.toUpperCase()}: ${n} workload${n === 1 ? '' : 's'}, ${tallyLine(r.workloads.flatMap((w) => w.checks))}${failed ? `; failed: ${failed}` : ''}`;
  },
};
