import { CHANGE_CAUSE_ANNOTATION } from '../kube/deployment';
import { formatBytes, parseQuantity, requireQuantity } from '../kube/quantity';
import type { Deployment, NodeObject } from '../kube/types';
import { pickContainer } from './container';
import { containerChange, type Change, type Plan } from './plan';

export interface OomOptions { memory?: string; memoryRequest?: string; container?: string }

const GI = 2 ** 30;

/** `CONTAINER=LIMIT` as the last fix oom set it: what lets a re-run recognise its own change. */
export const FIX_OOM_ANNOTATION = 'dhakacart.io/fix-oom-memory';

/**
 * The limit an earlier `fix oom` set, when it is still the last recorded change and the
 * container still has exactly that limit (nobody changed it since).
 */
function ownEarlierLimit(dep: Deployment, container: string, curLimit: number | null): string | null {
  const ann = dep.metadata.annotations ?? {};
  if (!(ann[CHANGE_CAUSE_ANNOTATION] ?? '').startsWith('kubectl dhakacart fix oom')) return null;
  const [name, limit] = (ann[FIX_OOM_ANNOTATION] ?? '').split('=');
  return name === container && limit && curLimit !== null && parseQuantity(limit) === curLimit ? limit : null;
}

/**
 * The first spelling given that means these bytes, else a canonical one: the current text
 * first, so a value that is kept is not rewritten (a spurious, unshown change).
 */
const textFor = (bytes: number, ...spellings: (string | null | undefined)[]) =>
  spellings.find((t) => t && parseQuantity(t) === bytes) ?? formatBytes(bytes);

/**
 * Raise the memory limit (default: the larger of 1Gi and twice the current limit) and the
 * request (default: half the new limit), never below what is set now. Warns when the
 * request would fit on no node.
 */
export function planOom(dep: Deployment, nodes: NodeObject[], o: OomOptions): Plan {
  const c = pickContainer(dep, o.container);
  const curLimitText = c.resources?.limits?.memory ?? null;
  const curReqText = c.resources?.requests?.memory ?? null;
  const curLimit = curLimitText ? parseQuantity(curLimitText) : null;
  const curReq = curReqText ? parseQuantity(curReqText) : null;
  const warnings: string[] = [];

  const earlier = o.memory ? null : ownEarlierLimit(dep, c.name, curLimit);
  if (earlier) {
    return {
      action: 'fix oom', deployment: dep.metadata.name, changes: [], patch: null, expect: {}, warnings, rollout: false,
      noop: `an earlier '${dep.metadata.annotations![CHANGE_CAUSE_ANNOTATION]}' already raised the memory limit of ${c.name} to ${earlier}; not doubling it again. `
        + `To raise it further pass --memory ${formatBytes(2 * curLimit!)}; if the pods still run out of memory, look for a leak (kubectl dhakacart why)`,
    };
  }

  let limit = o.memory ? requireQuantity(o.memory, '--memory') : Math.max(GI, 2 * (curLimit ?? 0));
  if (curLimit !== null && limit < curLimit) {
    warnings.push(`--memory ${o.memory} is below the current limit ${curLimitText}; keeping ${curLimitText}`);
    limit = curLimit;
  }
  if (curReq !== null && limit < curReq) {
    // A limit below the current request would force the request down (request ≤ limit).
    warnings.push(`a limit of ${formatBytes(limit)} is below the current request ${curReqText}; using ${curReqText}`);
    limit = curReq;
  }
  let request = o.memoryRequest ? requireQuantity(o.memoryRequest, '--memory-request') : limit / 2;
  if (curReq !== null && request < curReq) request = curReq;
  if (request > limit) request = limit;

  const limitText = textFor(limit, curLimitText, o.memory, curReqText);
  const requestText = textFor(request, curReqText, o.memoryRequest);
  const allocatable = nodes.map((n) => parseQuantity(n.status?.allocatable?.memory ?? '') ?? 0);
  if (allocatable.length && allocatable.every((a) => a < request)) {
    warnings.push(`a memory request of ${requestText} fits on no node (largest allocatable: ${formatBytes(Math.max(...allocatable))}); new pods would stay Pending`);
  }

  const changes: Change[] = [];
  const base = `spec.template.spec.containers[${c.name}].resources`;
  if (curLimit !== limit) changes.push({ path: `${base}.limits.memory`, from: curLimitText, to: limitText });
  if (curReq !== request) changes.push({ path: `${base}.requests.memory`, from: curReqText, to: requestText });
  const record = `${c.name}=${limitText}`;
  const recorded = dep.metadata.annotations?.[FIX_OOM_ANNOTATION] ?? null;
  if (changes.length && recorded !== record) changes.push({ path: `metadata.annotations[${FIX_OOM_ANNOTATION}]`, from: recorded, to: record });
  const change = changes.length ? containerChange(dep, c.name, { resources: { limits: { memory: limitText }, requests: { memory: requestText } } }) : null;
  return {
    action: 'fix oom',
    deployment: dep.metadata.name,
    changes,
    patch: change && { type: 'strategic', body: { ...change.patch.body, metadata: { annotations: { [FIX_OOM_ANNOTATION]: record } } } },
    expect: change ? { ...change.expect, annotations: { [FIX_OOM_ANNOTATION]: record } } : {},
    warnings,
    rollout: change !== null,
    noop: changes.length ? null : `memory of container ${c.name} is already limit ${curLimitText}, request ${curReqText}`,
  };
}
