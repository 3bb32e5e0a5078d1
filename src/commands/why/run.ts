import { firingAlerts, type FiringAlert } from '../../cluster/alertmanager';
import { describeTarget } from '../../cluster/alertmanagerTarget';
import type { KubeApi } from '../../cluster/api';
import { connect } from '../../cluster/connect';
import { gatherWhy, namespacesWithPods, PodNotFoundError, type DatabaseLogJudge } from '../../cluster/gatherWhy';
import { diagnosePod, diagnoseUnhealthy, groupDiagnoses } from '../../diagnose/index';
import { contractView, type Diagnosis } from '../../diagnose/diagnosis';
import { dependencyKind } from '../../diagnose/dependencyPath';
import { scanLog } from '../../diagnose/logLines';
import type { Snapshot } from '../../cluster/snapshot';
import { notLookedAt } from '../../diagnose/unread';
import { diagnoseWorkload, findWorkload } from '../../diagnose/workload';
import { ContactBook } from '../../escalation/book';
import { ExitCode, clusterError, usageError } from '../../errors';
import type { Io } from '../../io';
import { DEFAULT_POD_SELECTOR } from '../../kube/selector';
import type { GlobalOptions } from '../../options';
import { startSpinner } from '../../render/spinner';
import { isStructured, renderStructured } from '../../render/structured';
import type { Outcome } from '../types';
import { WORKLOAD_TARGET, workloadTarget, type WhyArgs } from './index';
import { renderAlerts, renderDiagnosis, renderGroups } from './render';
import { loadSnapshot, saveSnapshot } from './snapshotFile';

/** How gatherWhy tells which database's own log to read: the rules' reading of log lines and env names. */
export const DATABASE_LOG: DatabaseLogJudge = {
  isDatabase: (envVar) => dependencyKind(envVar) === 'database',
  credentialLines: (text) => scanLog(text).filter((h) => h.class === 'db-auth').map((h) => h.line),
};

/** A workload target is diagnosed from the whole-namespace snapshot, as `why` without POD gathers it. */
const podTarget = (a: WhyArgs) => (a.pod && !WORKLOAD_TARGET.test(a.pod) ? a.pod : null);

function fromFile(file: string, a: WhyArgs): Snapshot {
  const s = loadSnapshot(file);
  return a.since === undefined ? s : { ...s, healthWindowMs: a.sinceMs };
}

async function snapshotFor(api: KubeApi, a: WhyArgs, io: Io, g: GlobalOptions, selector: string, namespace: string, pod = podTarget(a)): Promise<Snapshot> {
  const spinner = await startSpinner(io, g.output, pod ? `Gathering evidence on ${pod}...` : `Looking for unhealthy pods in ${namespace}...`);
  try {
    return await gatherWhy(api, { namespace, pod, selector, context: api.ctx.context, now: io.now(), windowMs: a.sinceMs }, DATABASE_LOG);
  } finally {
    spinner.stop();
  }
}


function workloadDiagnosis(snap: Snapshot, target: string, logLines: number): Diagnosis {
  const { kind, name } = workloadTarget(target)!;
  const obj = findWorkload(snap, kind, name);
  const ref = `${kind}/${name}`;
  const unread = snap.gaps.find((g) => g.what === `${kind}s`);
  if (!obj && unread) {
    return {
      pod: ref, namespace: snap.namespace, container: null, owner: ref, cause: 'unknown', confidence: 'unknown', evidence: [], fix: null, escalate: null,
      summary: `Cannot tell: the ${kind}s could not be read (${unread.reason}), so ${ref} could not be looked at.`, notLookedAt: notLookedAt(snap.gaps),
    };
  }
  if (!obj) throw clusterError(`${kind} "${name}" not found in namespace "${snap.namespace}"`);
  const dep = snap.dependencies?.find((d) => d.kind.toLowerCase() === kind && d.name === name);
  const own = diagnoseUnhealthy(snap, { logLines }).filter((d) => d.owner === ref);
  if (own.length) return own[0]!;
  const d = diagnoseWorkload(snap, kind, obj, dep && dep.healthy === false ? dep.via : null, true);
  return d ?? {
    pod: ref, namespace: snap.namespace, container: null, owner: ref, cause: 'healthy', confidence: 'confirmed', evidence: [], fix: null, escalate: null,
    summary: `${ref} has its replicas available and none of its pods is failing.`, notLookedAt: notLookedAt(snap.gaps),
  };
}

/** One API handle for the whole run, made when first needed (never for --from-file). */
export function lazyApi(g: GlobalOptions): () => KubeApi {
  let api: KubeApi | undefined;
  return () => (api ??= connect(g));
}

/** The alerts read, where from, and each named pod's diagnosis. */
export interface AlertResult { source: string; alertname: string; alerts: FiringAlert[]; items: { diagnosis: Diagnosis; snap: Snapshot | null }[] }

/** One pod (or workload) diagnosed, one namespace's unhealthy pods, or those of every namespace (-A), or those alerts name. */
export type WhyResult =
  | { kind: 'one'; diagnosis: Diagnosis; snap: Snapshot }
  | { kind: 'namespace'; diagnoses: Diagnosis[]; snap: Snapshot }
  | { kind: 'all'; namespaces: { diagnoses: Diagnosis[]; snap: Snapshot }[] }
  | ({ kind: 'alert' } & AlertResult);

/** The contract's JSON of a why result (CONTRACT.md `why`). */
export function whyJson(r: WhyResult): Record<string, unknown> {
  switch (r.kind) {
    case 'alert': return { alertmanager: r.source, alertname: r.alertname, alerts: r.alerts, diagnoses: r.items.map((i) => contractView(i.diagnosis)) };
    case 'one': return { ...contractView(r.diagnosis) };
    case 'namespace': {
      const dependencies = (r.snap.dependencies ?? []).map(({ failingPods: _, ...d }) => d);
      return { namespace: r.snap.namespace, diagnoses: r.diagnoses.map(contractView), dependencies, notLookedAt: notLookedAt(r.snap.gaps) };
    }
    case 'all': return { namespace: null, diagnoses: r.namespaces.flatMap((n) => n.diagnoses.map(contractView)), notLookedAt: notLookedAt(r.namespaces.flatMap((n) => n.snap.gaps)) };
  }
}

export function renderWhy(r: WhyResult, g: GlobalOptions, io: Io): void {
  const at = (snap: Snapshot) => Date.parse(snap.capturedAt);
  if (isStructured(g.output)) return io.out(renderStructured(whyJson(r), g.output));
  const width = g.output === 'wide' ? undefined : io.columns;
  if (r.kind === 'alert') io.out(renderAlerts(r, io.colors, width));
  else if (r.kind === 'one') io.out(renderDiagnosis(r.diagnosis, r.snap, at(r.snap), io.colors, width));
  else if (r.kind === 'namespace') io.out(renderGroups(groupDiagnoses(r.diagnoses), r.snap, at(r.snap), io.colors, width));
  else for (const n of r.namespaces) io.out(renderGroups(groupDiagnoses(n.diagnoses), n.snap, at(n.snap), io.colors, width));
}

const problemsIf = (found: boolean) => (found ? ExitCode.problems : ExitCode.ok);

/** gatherWhy refuses a pod that is gone; an alert may still name one the controller has replaced. */
const isPodGone = (e: unknown, pod: string) => e instanceof PodNotFoundError && e.pod === pod;

/** --alert: each pod the firing alerts name (once), diagnosed the way `why POD` diagnoses it. */
async function runAlert(g: GlobalOptions, a: WhyArgs, alert: NonNullable<WhyArgs['alert']>, io: Io, api: () => KubeApi, book: ContactBook): Promise<Outcome<WhyResult>> {
  const alerts = await firingAlerts({ target: alert.target, alertname: alert.alertname, timeoutMs: g.requestTimeoutMs, now: io.now() }, api);
  const pods = [...new Map(alerts.filter((x) => x.pod).map((x) => [`${x.namespace ?? g.namespace}/${x.pod}`, { namespace: x.namespace ?? g.namespace, pod: x.pod! }])).values()];
  const items: AlertResult['items'] = [];
  for (const p of pods) {
    try {
      const snap = await snapshotFor(api(), a, io, g, DEFAULT_POD_SELECTOR, p.namespace, p.pod);
      items.push({ diagnosis: diagnosePod(snap, p.pod, { container: a.container, logLines: a.logs }), snap });
    } catch (e) {
      if (!isPodGone(e, p.pod)) throw e;
      const summary = `Pod ${p.pod} named by the alert no longer exists in ${p.namespace} (deleted or replaced): run kubectl dhakacart why -n ${p.namespace} for the pods now failing.`;
      const diagnosis: Diagnosis = { pod: p.pod, namespace: p.namespace, container: null, owner: null, cause: 'unknown', confidence: 'unknown', summary, evidence: [], fix: null, escalate: null, notLookedAt: [] };
      items.push({ diagnosis, snap: null });
    }
  }
  const diagnoses = await book.attach(items.map((i) => i.diagnosis));
  const result = { kind: 'alert' as const, source: describeTarget(alert.target), alertname: alert.alertname, alerts, items: items.map((i, n) => ({ ...i, diagnosis: diagnoses[n]! })) };
  return { result, exitCode: problemsIf(diagnoses.some((d) => d.cause !== 'healthy')) };
}

/** `book`: the caller's, when it escalates further on what it saw itself (verify after a rollback). */
export async function runWhy(g: GlobalOptions, a: WhyArgs, io: Io, book?: ContactBook): Promise<Outcome<WhyResult>> {
  const selector = a.selector ?? DEFAULT_POD_SELECTOR;
  const logLines = a.logs;
  const api = lazyApi(g);
  book ??= new ContactBook(a['escalation-config'], a['from-file'] ? null : api, io);
  if (a.alert) return runAlert(g, a, a.alert, io, api, book);
  if (a['all-namespaces']) {
    if (a.pod || a['from-file'] || a.save) throw usageError('-A/--all-namespaces diagnoses every namespace: it takes no POD, --from-file or --save', 'name the namespace with -n instead');
    const namespaces: { diagnoses: Diagnosis[]; snap: Snapshot }[] = [];
    for (const ns of await namespacesWithPods(api(), selector)) {
      const snap = await snapshotFor(api(), a, io, g, selector, ns);
      namespaces.push({ diagnoses: await book.attach(diagnoseUnhealthy(snap, { logLines })), snap });
    }
    return { result: { kind: 'all', namespaces }, exitCode: problemsIf(namespaces.some((n) => n.diagnoses.length > 0)) };
  }
  const snap = a['from-file'] ? fromFile(a['from-file'], a) : await snapshotFor(api(), a, io, g, selector, g.namespace);
  if (a.save) saveSnapshot(a.save, snap);
  const pod = a.pod ?? snap.target;
  if (pod) {
    const [diagnosis] = await book.attach([WORKLOAD_TARGET.test(pod) ? workloadDiagnosis(snap, pod, logLines) : diagnosePod(snap, pod, { container: a.container, logLines })]);
    return { result: { kind: 'one', diagnosis: diagnosis!, snap }, exitCode: problemsIf(diagnosis!.cause !== 'healthy') };
  }
  const diagnoses = await book.attach(diagnoseUnhealthy(snap, { logLines }));
  return { result: { kind: 'namespace', diagnoses, snap }, exitCode: problemsIf(diagnoses.length > 0) };
}
