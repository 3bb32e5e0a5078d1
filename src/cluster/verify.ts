import { sleep } from './interrupt';
import { ApiError, type KubeApi } from './api';
import { paths } from './paths';
import { newReplicaSetPods } from './rollout';
import { DEFAULT_HEALTH_WINDOW_MS, summarizePod } from '../kube/podState';
import type { Container, Deployment, Pod } from '../kube/types';

/** Endpoints that prove the app works, beyond its probes (the runbook's "Verify Functionality"). */
const EXTRA_PATHS: Record<string, string[]> = { 'dhakacart-backend': ['/api/products'] };

/** One row of what a change's verification (or fix db's precheck) looked at: the contract's `checks`. */
export interface RecoveryCheck { name: string; ok: boolean; detail: string }
export interface Verification { verified: boolean; checks: RecoveryCheck[] }

function httpChecks(dep: Deployment): { port: number; path: string }[] {
  const c: Container | undefined = dep.spec.template.spec.containers[0];
  const probe = c?.livenessProbe?.httpGet ?? c?.readinessProbe?.httpGet;
  const port = typeof probe?.port === 'number' ? probe.port : c?.ports?.[0]?.containerPort;
  if (!port) return [];
  const list = [...(probe?.path ? [probe.path] : []), ...(EXTRA_PATHS[dep.metadata.name] ?? [])];
  return [...new Set(list)].map((path) => ({ port, path }));
}


/**
 * After a rollout: the new pods are healthy by the one definition status and why use
 * (summarizePod), their restart counts do not climb over the settle period, and the app
 * answers through the API server's pod proxy.
 */
export async function verifyRecovery(api: KubeApi, dep: Deployment, settleMs: number, onMessage: (m: string) => void, now: () => number): Promise<Verification> {
  const ns = dep.metadata.namespace!;
  const checks: RecoveryCheck[] = [];
  const want = dep.spec.replicas ?? 1;
  const before = await newReplicaSetPods(api, dep);
  if (want === 0) {
    const left = before.pods.filter((p) => !p.metadata.deletionTimestamp).length;
    checks.push({ name: 'scaled to zero', ok: true, detail: `${left} pod(s) still terminating` });
    return { verified: true, checks };
  }
  onMessage(`Watching restart counts for ${Math.round(settleMs / 1000)}s...`);
  await sleep(settleMs);
  const after = await newReplicaSetPods(api, dep);
  const clock = { now: now(), windowMs: DEFAULT_HEALTH_WINDOW_MS };
  const ready = after.pods.filter((p) => summarizePod(p, clock).healthy);
  checks.push({ name: 'pods ready', ok: ready.length >= want, detail: `${ready.length}/${want} new pods Ready` });
  const restarts = (p: Pod) => summarizePod(p, clock).restarts;
  const counts = new Map(before.pods.map((p) => [p.metadata.name, restarts(p)]));
  const climbing = after.pods.filter((p) => counts.has(p.metadata.name) && restarts(p) > counts.get(p.metadata.name)!);
  checks.push({ name: 'restarts settled', ok: climbing.length === 0, detail: climbing.length ? `restarts climbed on ${climbing.map((p) => p.metadata.name).join(', ')}` : `no restarts in ${Math.round(settleMs / 1000)}s` });
  const probeTarget = ready[0];
  for (const { port, path } of probeTarget ? httpChecks(dep) : []) {
    const url = paths.podProxy(ns, probeTarget!.metadata.name, port, path);
    try {
      await api.raw('GET', url, { accept: '*/*' });
      checks.push({ name: `GET ${path}`, ok: true, detail: `${probeTarget!.metadata.name} answered` });
    } catch (e) {
      checks.push({ name: `GET ${path}`, ok: false, detail: e instanceof ApiError ? e.message : (e as Error).message });
    }
  }
  return { verified: checks.every((c) => c.ok), checks };
}
