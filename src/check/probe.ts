import type { Container, Probe } from '../kube/types';

/** What a probe asks, without its timing: two probes with the same handler ask the same question. */
export function handlerOf(p: Probe): Pick<Probe, 'httpGet' | 'tcpSocket' | 'exec' | 'grpc'> {
  const { httpGet, tcpSocket, exec, grpc } = p;
  return JSON.parse(JSON.stringify({ httpGet, tcpSocket, exec, grpc })) as Pick<Probe, 'httpGet' | 'tcpSocket' | 'exec' | 'grpc'>;
}

/** The probe's timing with the API server's defaults filled in. */
export const timingOf = (p: Probe) => ({
  initialDelaySeconds: p.initialDelaySeconds ?? 0,
  periodSeconds: p.periodSeconds ?? 10,
  timeoutSeconds: p.timeoutSeconds ?? 1,
  failureThreshold: p.failureThreshold ?? 3,
});

/** Seconds from the container's start until the kubelet gives up on it: the start-up this probe tolerates. */
export function budgetSeconds(p: Probe): number {
  const t = timingOf(p);
  return t.initialDelaySeconds + t.failureThreshold * t.periodSeconds;
}

/** The port a probe aims at (number or name), null for exec. */
export const probePort = (p: Probe): number | string | null => p.httpGet?.port ?? p.tcpSocket?.port ?? p.grpc?.port ?? null;

/** The container's probes by field name. */
export const probesOf = (c: Container): [string, Probe][] =>
  (['livenessProbe', 'readinessProbe', 'startupProbe'] as const).flatMap((k) => (c[k] ? [[k, c[k]] as [string, Probe]] : []));

export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
