import type { Reference, ServiceState } from '../diagnose/snapshot';
import type { Container } from '../kube/types';

export interface DbCheck { name: string; ok: boolean; detail: string; fix: string | null }

export interface DbPath {
  checks: DbCheck[];
  /** The database answers: its Service has ready endpoints and a backend pod is Ready. */
  ready: boolean;
  /** Broken in a way waiting will not mend (missing Service, Secret or key). */
  needsHuman: boolean;
}

const podReady = (p: ServiceState['backends'][number]) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/**
 * The runbook's database checks as data: the Service DB_HOST names, its ready endpoints,
 * the pods behind it, and the credentials Secret with every key the container reads.
 * Key names only: no value is ever looked at here.
 */
export function evaluateDbPath(ns: string, container: Container, db: ServiceState | null, refs: Reference[]): DbPath {
  const checks: DbCheck[] = [];
  if (!db) {
    checks.push({ name: 'DB_HOST', ok: false, detail: `container ${container.name} sets no DB_HOST`, fix: null });
    return { checks, ready: false, needsHuman: true };
  }
  const svc = db.service;
  checks.push(svc
    ? { name: `service ${db.name}`, ok: true, detail: `exists (${svc.spec?.ports?.map((p) => p.port).join(',') ?? 'no ports'})`, fix: null }
    : { name: `service ${db.name}`, ok: false, detail: `DB_HOST=${db.host} names no Service`, fix: `kubectl get svc -n ${ns}` });
  if (svc && db.port !== null && !(svc.spec?.ports ?? []).some((p) => p.port === db.port)) {
    checks.push({ name: 'DB_PORT', ok: false, detail: `DB_PORT=${db.port} is not a port of service ${db.name}`, fix: `kubectl describe svc ${db.name} -n ${ns}` });
  }
  const ready = (db.endpoints?.subsets ?? []).flatMap((s) => s.addresses ?? []);
  const notReady = (db.endpoints?.subsets ?? []).flatMap((s) => s.notReadyAddresses ?? []);
  checks.push({ name: `endpoints ${db.name}`, ok: ready.length > 0, detail: `${ready.length} ready, ${notReady.length} not ready`, fix: ready.length ? null : `kubectl get endpoints ${db.name} -n ${ns}` });
  const readyPods = db.backends.filter(podReady);
  const selector = Object.entries(svc?.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  checks.push({
    name: 'database pods',
    ok: readyPods.length > 0,
    detail: db.backends.length ? `${readyPods.length}/${db.backends.length} Ready (${db.backends.map((p) => p.metadata.name).join(', ')})` : `no pods match ${selector || 'the Service'}`,
    fix: readyPods.length ? null : `kubectl get pods -n ${ns} -l ${selector || 'app=postgres'}; kubectl logs -n ${ns} -l ${selector || 'app=postgres'} --tail=50`,
  });
  let needsHuman = !svc || db.backends.length === 0;
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    if (!ref) continue;
    const r = refs.find((x) => x.kind === 'Secret' && x.name === ref.name);
    const ok = !!r?.exists && !!r.keys?.includes(ref.key);
    const detail = !r || r.exists === null ? 'could not be read (forbidden)' : !r.exists ? 'Secret does not exist' : ok ? 'key present' : `key ${ref.key} missing (keys: ${r.keys?.join(', ') || 'none'})`;
    if (!ok && !ref.optional) needsHuman = true;
    checks.push({ name: `${e.name} ← secret ${ref.name}/${ref.key}`, ok: ok || !!ref.optional, detail, fix: ok ? null : `kubectl describe secret ${ref.name} -n ${ns}` });
  }
  return { checks, ready: readyPods.length > 0 && ready.length > 0, needsHuman };
}
