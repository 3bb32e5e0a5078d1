import type { Pod } from '../kube/types';
import type { Gap } from '../cluster/snapshot';

/** The contract's `notLookedAt` entry; the request is an addition, for whoever fixes the RBAC or the server. */
export interface NotLookedAt { what: string; reason: Gap['reason']; request: string | null }

export const notLookedAt = (gaps: Gap[]): NotLookedAt[] => gaps.map((g) => ({ what: g.what, reason: g.reason, request: g.request ?? null }));

/** "logs of x (forbidden), events (server error)" */
export const describeGaps = (gaps: Pick<Gap, 'what' | 'reason'>[]): string => gaps.map((g) => `${g.what} (${g.reason})`).join(', ');

/**
 * The gaps that concern one pod: its own logs and node, and everything namespace-wide.
 * The logs and node of other pods (the namespace form reads those too) do not.
 */
export function podGaps(gaps: Gap[], pod: Pod): Gap[] {
  return gaps.filter((g) =>
    g.piece === 'logs' ? g.key?.startsWith(`${pod.metadata.name}/`)
    : g.piece === 'node' ? g.key === pod.spec.nodeName
    : true);
}
