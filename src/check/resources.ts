import { parseQuantity } from '../kube/quantity';
import type { Container } from '../kube/types';
import { combine, kubectlOn, verdict } from './fix';
import type { CheckContext, Rule, Verdict } from './types';
import { containersOf } from './types';
import { mebibytes, millicores, peakUsage } from './usage';

/** At this share of its limit a container has no room for a spike: the next one is an OOM kill. */
const NEAR_LIMIT = 0.8;
const MI = 2 ** 20;
/** Floors for proposed values: an idle pod's usage is no measure of what it needs under load. */
const MIN_REQUEST = 64 * MI;
const MIN_LIMIT = 128 * MI;
const MIN_CPU = 0.05;

function container(ctx: CheckContext, c: Container): Verdict {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const missing = [!req.cpu && 'cpu request', !req.memory && 'memory request', !lim.memory && 'memory limit'].filter((m): m is string => !!m);
  const usage = peakUsage(ctx, c.name);
  const limit = lim.memory ? parseQuantity(lim.memory) : null;
  const request = req.memory ? parseQuantity(req.memory) : null;
  const used = usage?.memory ?? null;
  // Proposed values: what is set stays; what is missing comes from the usage seen, else from its partner, else a start.
  const memRequest = request ?? Math.max(MIN_REQUEST, used ? used * 1.2 : limit ? limit / 2 : 256 * MI);
  let memLimit = limit ?? Math.max(MIN_LIMIT, memRequest * 2, used ? used * 2 : 0);
  const near = limit !== null && used !== null && used >= limit * NEAR_LIMIT;
  if (near) memLimit = Math.max(limit * 2, used * 2);
  const set = (what: string, on: boolean, v: string) => (on ? [`--${what}=${v}`] : []);
  const cpuReq = req.cpu ?? (usage?.cpu ? millicores(Math.max(MIN_CPU, usage.cpu * 1.2)) : '100m');
  const requests = [...(!req.cpu ? [`cpu=${cpuReq}`] : []), ...(!req.memory ? [`memory=${mebibytes(memRequest)}`] : [])].join(',');
  const fix = kubectlOn(ctx.workload, 'set resources', ['-c', c.name, ...set('requests', !!requests, requests), ...set('limits', !lim.memory || near, `memory=${mebibytes(memLimit)}`)]);
  const seen = used === null ? '' : `${c.name} uses ${mebibytes(used)}${limit ? ` of its ${lim.memory} limit (${Math.round((used / limit) * 100)}%)` : ''}`;
  if (missing.length) return verdict('fail', `${c.name} has no ${missing.join(', ')}${seen ? `; ${seen}` : ''}`, fix);
  if (near) {
    return verdict(used >= limit ? 'fail' : 'warn', `${seen}: the next spike is an OOM kill`, fix);
  }
  return verdict('pass', seen || `${c.name}: requests ${req.cpu}/${req.memory}, limit ${lim.memory}`);
}

/** Why usage was not compared, when that is so: said, and never a pass when it could not be read. */
function usageNote(ctx: CheckContext): Verdict | null {
  const m = ctx.metrics;
  if (m.state === 'unreadable') return verdict('warn', `usage not compared with the limits: pod metrics ${m.reason}`, null);
  if (m.state === 'not served') return verdict('pass', 'usage not compared: metrics.k8s.io is not served', null);
  return null;
}

export const resources: Rule = {
  id: 'resources',
  title: 'Resource requests and limits set',
  check(ctx) {
    const parts = containersOf(ctx.workload).map((c) => container(ctx, c));
    const note = usageNote(ctx);
    return combine(note ? [...parts, note] : parts, 'requests and limits set');
  },
};
