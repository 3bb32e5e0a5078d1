/**
 * The app itself, asked through the API server's proxy (the runbook's `curl -f` from inside
 * the pod, without exec): a pod's port, or a Service's port when the pods' proxy is
 * forbidden to this user.
 */
import { ApiError, UnreachableError, type KubeApi } from './api';
import { paths } from './paths';
import type { Pod, Service } from '../kube/types';

/** A port and path of the app to ask. */
export interface AppTarget { port: number; path: string }

/** What one pod's app said to one path: an answer, or none this time (throttled, connection reset) to ask again. */
export type AppAnswer = { pod: string; ok: true } | { pod: string; ok: false; detail: string } | { pod: string; transient: string };

/** No answer this time, worth asking again: throttled, or the connection failed on the way. */
const transient = (e: unknown) => e instanceof UnreachableError || (e instanceof ApiError && e.code === 429);
const forbidden = (e: unknown) => e instanceof ApiError && e.code === 403;

async function ask(api: KubeApi, url: string, who: string): Promise<AppAnswer> {
  try {
    await api.raw('GET', url, { accept: '*/*', appAnswer: true });
    return { pod: who, ok: true };
  } catch (e) {
    if (transient(e)) return { pod: who, transient: (e as Error).message };
    // The user may not use this proxy: no answer of the app's (the caller may try the Service's).
    if (e instanceof ApiError && !forbidden(e)) return { pod: who, ok: false, detail: `HTTP ${e.code}: ${e.message.replace(/^Error from server \([^)]*\): /, '')}` };
    throw e;
  }
}

/** A Service that selects the pod and has a port aimed at the target's container port. */
function serviceFor(services: readonly Service[], pod: Pod, port: number): { name: string; port: number } | null {
  const labels = pod.metadata.labels ?? {};
  for (const s of services) {
    const sel = s.spec?.selector;
    if (!sel || !Object.keys(sel).length || !Object.entries(sel).every(([k, v]) => labels[k] === v)) continue;
    const named = (name: string) => pod.spec.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === name)?.containerPort;
    const sp = (s.spec?.ports ?? []).find((p) => (typeof p.targetPort === 'string' ? named(p.targetPort) : p.targetPort ?? p.port) === port);
    if (sp) return { name: s.metadata.name, port: sp.port };
  }
  return null;
}

/**
 * Every pod asked for the target, in parallel. When the pods' proxy is forbidden, the
 * Service in front of them is asked once instead (services/proxy is a permission of its own).
 */
export async function askApp(api: KubeApi, ns: string, pods: readonly Pod[], target: AppTarget): Promise<AppAnswer[]> {
  let denied: unknown = null;
  const answers = await Promise.all(pods.map(async (p) => {
    try {
      return await ask(api, paths.podProxy(ns, p.metadata.name, target.port, target.path), p.metadata.name);
    } catch (e) {
      if (!forbidden(e)) throw e;
      denied = e;
      return null;
    }
  }));
  if (!denied) return answers as AppAnswer[];
  const svc = serviceFor((await api.list<Service>(paths.services(ns))).items, pods[0]!, target.port);
  if (!svc) throw denied;
  return [await ask(api, paths.serviceProxy(ns, svc.name, svc.port, target.path), `service/${svc.name}`)];
}
