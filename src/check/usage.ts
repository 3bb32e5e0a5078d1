import { parseQuantity } from '../kube/quantity';
import { selectorMatches } from '../kube/selector';
import type { CheckContext } from './types';

/** The highest memory and CPU a container of the workload uses now, across its pods (metrics.k8s.io); null when unknown. */
export function peakUsage(ctx: CheckContext, container: string): { memory: number | null; cpu: number | null } | null {
  if (ctx.metrics.state !== 'read') return null;
  const samples = ctx.metrics.value
    .filter((m) => selectorMatches(ctx.workload.selector, m.metadata.labels))
    .flatMap((m) => m.containers.filter((c) => c.name === container));
  if (!samples.length) return null;
  const max = (k: 'memory' | 'cpu') => {
    const vs = samples.map((s) => parseQuantity(s.usage[k] ?? '')).filter((v): v is number => v !== null);
    return vs.length ? Math.max(...vs) : null;
  };
  return { memory: max('memory'), cpu: max('cpu') };
}

const MI = 2 ** 20;
/** Bytes rounded up to whole Mi, as a person would write them. */
export const mebibytes = (bytes: number): string => `${Math.max(1, Math.ceil(bytes / MI))}Mi`;
export const millicores = (cores: number): string => `${Math.max(1, Math.ceil(cores * 1000))}m`;
