// pods/log: container defaulting as the API server does it, the kubelet's texts when there
// is nothing to show (validateContainerLogStatus), and tailLines/limitBytes/timestamps/sinceSeconds.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { badRequest } from './errors';
import { lookupGlob, type SimSettings } from './settings';
import type { KObj } from './store';

export interface LogQuery { container?: string; previous?: boolean; tailLines?: number; limitBytes?: number; timestamps?: boolean; sinceSeconds?: number; sinceTime?: string }

function allContainerNames(pod: KObj): string[] {
  const s = pod.spec ?? {};
  return [...(s.initContainers ?? []), ...(s.containers ?? []), ...(s.ephemeralContainers ?? [])].map((c: any) => c.name);
}

/** apiserver ValidateContainer. */
export function resolveContainer(pod: KObj, container: string | undefined): string {
  const name = pod.metadata.name!;
  if (!container) {
    const cs = (pod.spec?.containers ?? []) as any[];
    if (cs.length === 1) return cs[0].name;
    if (cs.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${allContainerNames(pod).join(' ')}]`);
  }
  if (!allContainerNames(pod).includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

function statusOf(pod: KObj, container: string): any {
  const st = pod.status ?? {};
  return [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? []), ...(st.ephemeralContainerStatuses ?? [])].find((c: any) => c.name === container);
}

/** Which log instance the kubelet would serve, or its error (kubelet validateContainerLogStatus). */
function pick(pod: KObj, container: string, previous: boolean): { which: 'current' | 'previous'; start?: string; end?: string } {
  const podName = pod.metadata.name!;
  const cs = statusOf(pod, container);
  if (!cs) throw badRequest(`container "${container}" in pod "${podName}" is not available`);
  const last = cs.lastState?.terminated, st = cs.state ?? {};
  if (previous) {
    if (!last || !last.containerID) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    return { which: 'previous', start: last.startedAt, end: last.finishedAt };
  }
  if (st.running) return { which: 'current', start: st.running.startedAt };
  if (st.terminated) {
    if (st.terminated.containerID) return { which: 'current', start: st.terminated.startedAt, end: st.terminated.finishedAt };
    if (last?.containerID) return { which: 'previous', start: last.startedAt, end: last.finishedAt };
    throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
  }
  if (last) {
    if (!last.containerID) throw badRequest(`container "${container}" in pod "${podName}" is terminated`);
    return { which: 'previous', start: last.startedAt, end: last.finishedAt };
  }
  if (st.waiting) {
    const r = st.waiting.reason;
    if (r === 'ErrImagePull') throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`);
    if (r === 'ImagePullBackOff') throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`);
    throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${r}`);
  }
  throw badRequest(`container "${container}" in pod "${podName}" is waiting to start - no logs yet`);
}

/** RFC3339Nano as the kubelet prints it. */
const nano = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');

export function podLogs(pod: KObj, settings: SimSettings, q: LogQuery): string {
  const container = resolveContainer(pod, q.container);
  if (!pod.spec?.nodeName) return ''; // not scheduled: the API server answers with an empty body
  const { which, start, end } = pick(pod, container, !!q.previous);
  const entry = lookupGlob(settings.logs, `${pod.metadata.name}/${container}`);
  const text = (which === 'previous' ? entry?.previous : entry?.current) ?? '';
  let lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  // Synthesize write times spread over the container's life.
  const t0 = start ? Date.parse(start) : Date.now() - 60_000;
  const t1 = end ? Date.parse(end) : Date.now();
  let stamped = lines.map((l, i) => ({ l, t: lines.length <= 1 ? t0 : t0 + Math.floor(((t1 - t0) * i) / (lines.length - 1)) }));
  const sinceMs = q.sinceSeconds !== undefined ? Date.now() - q.sinceSeconds * 1000 : q.sinceTime ? Date.parse(q.sinceTime) : undefined;
  if (sinceMs !== undefined) stamped = stamped.filter((x) => x.t >= sinceMs);
  if (q.tailLines !== undefined) stamped = q.tailLines <= 0 ? [] : stamped.slice(-q.tailLines);
  let out = stamped.map((x) => (q.timestamps ? `${nano(x.t)} ${x.l}` : x.l)).join('\n');
  if (stamped.length) out += '\n';
  if (q.limitBytes !== undefined && q.limitBytes > 0) out = Buffer.from(out).subarray(0, q.limitBytes).toString();
  return out;
}
