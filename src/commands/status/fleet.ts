import type { FleetView } from '../fleet/index';
import { allHealthyLine, statusProblems } from './render';
import type { StatusResult } from './run';

/** status across a fleet: each cluster's JSON as `status -o json` writes it, and its verdict in a line. */
export const statusFleet: FleetView<StatusResult> = {
  json: (r) => ({ ...r?.view.report }),
  summary: (r) => {
    if (!r) return '';
    const problems = statusProblems(r.view.report);
    return problems.length ? problems.join(' ') : allHealthyLine(r.view.report);
  },
};
