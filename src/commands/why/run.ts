import { connect } from '../../cluster/connect';
import { gatherWhy, namespacesWithPods, type DatabaseLogJudge } from '../../cluster/gatherWhy';
import { diagnosePod, diagnoseUnhealthy, groupDiagnoses } from '../../diagnose/index';
import { contractView, type Diagnosis } from '../../diagnose/diagnosis';
import { dependencyKind } from '../../diagnose/dependencyPath';
import { scanLog } from '../../diagnose/logLines';
import type { Snapshot } from '../../cluster/snapshot';
import { notLookedAt } from '../../diagnose/unread';
import { diagnoseWorkload, findWorkload, type WorkloadKind } from '../../diagnose/workload';
import { ExitCode, clusterError, usageError } from '../../errors';
import type { Io } from '../../io';
import { DEFAULT_POD_SELECTOR } from '../../kube/selector';
import type { GlobalOptions } from '../../options';
import { startSpinner } from '../../render/spinner';
import { isStructured, renderStructured } from '../../render/structured';
import type { Outcome } from '../types';
import { WORKLOAD_TARGET, type WhyArgs } from './index';
import { renderDiagnosis, renderGroups } from './render';
import { loadSnapshot, saveSnapshot } from './snapshotFile';

/** How gatherWhy tells which database's own log to read: the rules' reading of log lines and env names. */
const DATABASE_LOG: DatabaseLogJudge = {
  isDatabase: (envVar) => dependencyKind(envVar) === 'database',
  credentialLines: (text) => scanLog(text).filter((h) => h.class === 'db-auth').map((h) => h.line),
};

/** A workload target is diagnosed from the whole-namespace snapshot, as `why` without POD gathers it. */
const podTarget = (a: WhyArgs) => (a.pod && !WORKLOAD_TARGET.test(a.pod) ? a.pod : null);

async function snapshotFor(g: GlobalOptions, a: WhyArgs, io: Io, selector: string, namespace: string): Promise<Snapshot> {
  if (a['from-file']) {
    const s = loadSnapshot(a['from-file']);
    return a.since === undefined ? s : { ...s, healthWindowMs: a.sinceMs };
  }
  const api = connect(g);
  const pod = podTarget(a);
  const spinner = await startSpinner(io, g.output, pod ? `Gathering evidence on ${pod}...` : `Looking for unhealthy pods in ${namespace}...`);
  try {
    return await gatherWhy(api, { namespace, pod, selector, context: api.ctx.context, now: io.now(), windowMs: a.sinceMs }, DATABASE_LOG);
  } finally {
    spinner.stop();
  }
}


function workloadDiagnosis(snap: Snapshot, target: string, logLines: number): Diagnosis {
  const m = WORKLOAD_TARGET.exec(target)!;
  const kind: WorkloadKind = m[1]!.startsWith('d') ? 'deployment' : 'statefulset';
  const obj = findWorkload(snap, kind, m[2]!);
  const ref = `${kind}/${m[2]}`;
  const unread = snap.gaps.find((g) => g.what === `${kind}s`);
  if (!obj && unread) {
    return {
      pod: ref, namespace: snap.namespace, container: null, owner: ref, cause: 'unknown', confidence: 'unknown', evidence: [], fix: null, escalate: null,
      summary: `Cannot tell: the ${kind}s could not be read (${unread.reason}), so ${ref} could not be looked at.`, notLookedAt: notLookedAt(snap.gaps),
    };
  }
  if (!obj) throw clusterError(`${kind} "${m[2]}" not found in namespace "${snap.namespace}"`);
  const dep = snap.dependencies?.find((d) => d.kind.toLowerCase() === kind && d.name === m[2]);
  const own = diagnoseUnhealthy(snap, { logLines }).filter((d) => d.owner === ref);
  if (own.length) return own[0]!;
  const d = diagnoseWorkload(snap, kind, obj, dep && dep.healthy === false ? dep.via : null, true);
  return d ?? {
    pod: ref, namespace: snap.namespace, container: null, owner: ref, cause: 'healthy', confidence: 'confirmed', evidence: [], fix: null, escalate: null,
    summary: `${ref} has its replicas available and none of its pods is failing.`, notLookedAt: notLookedAt(snap.gaps),
  };
}

/** One pod (or workload) diagnosed, one namespace's unhealthy pods, or those of every namespace (-A). */
export type WhyResult =
  | { kind: 'one'; diagnosis: Diagnosis; snap: Snapshot }
  | { kind: 'namespace'; diagnoses: Diagnosis[]; snap: Snapshot }
  | { kind: 'all'; namespaces: { diagnoses: Diagnosis[]; snap: Snapshot }[] };

export function renderWhy(r: WhyResult, g: GlobalOptions, io: Io): void {
  const at = (snap: Snapshot) => Date.parse(snap.capturedAt);
  const structured = isStructured(g.output) ? g.output : null;
  const width = g.output === 'wide' ? undefined : io.columns;
  if (r.kind === 'one') {
    io.out(structured ? renderStructured(contractView(r.diagnosis), structured) : renderDiagnosis(r.diagnosis, r.snap, at(r.snap), io.colors, width));
  } else if (r.kind === 'namespace') {
    const dependencies = (r.snap.dependencies ?? []).map(({ failingPods: _, ...d }) => d);
    io.out(structured ? renderStructured({ namespace: r.snap.namespace, diagnoses: r.diagnoses.map(contractView), dependencies, notLookedAt: notLookedAt(r.snap.gaps) }, structured)
      : renderGroups(groupDiagnoses(r.diagnoses), r.snap, at(r.snap), io.colors, width));
  } else if (structured) {
    io.out(renderStructured({ namespace: null, diagnoses: r.namespaces.flatMap((n) => n.diagnoses.map(contractView)), notLookedAt: notLookedAt(r.namespaces.flatMap((n) => n.snap.gaps)) }, structured));
  } else {
    for (const n of r.namespaces) io.out(renderGroups(groupDiagnoses(n.diagnoses), n.snap, at(n.snap), io.colors, width));
  }
}

const problemsIf = (found: boolean) => (found ? ExitCode.problems : ExitCode.ok);

export async function runWhy(g: GlobalOptions, a: WhyArgs, io: Io): Promise<Outcome<WhyResult>> {
  const selector = a.selector ?? DEFAULT_POD_SELECTOR;
  const logLines = a.logs;
  if (a['all-namespaces']) {
    if (a.pod || a['from-file'] || a.save) throw usageError('-A/--all-namespaces diagnoses every namespace: it takes no POD, --from-file or --save', 'name the namespace with -n instead');
    const namespaces: { diagnoses: Diagnosis[]; snap: Snapshot }[] = [];
    for (const ns of await namespacesWithPods(connect(g), selector)) {
      const snap = await snapshotFor(g, a, io, selector, ns);
      namespaces.push({ diagnoses: diagnoseUnhealthy(snap, { logLines }), snap });
    }
    return { result: { kind: 'all', namespaces }, exitCode: problemsIf(namespaces.some((n) => n.diagnoses.length > 0)) };
  }
  const snap = await snapshotFor(g, a, io, selector, g.namespace);
  if (a.save) saveSnapshot(a.save, snap);
  const pod = a.pod ?? snap.target;
  if (pod) {
    const diagnosis = WORKLOAD_TARGET.test(pod) ? workloadDiagnosis(snap, pod, logLines) : diagnosePod(snap, pod, { container: a.container, logLines });
    return { result: { kind: 'one', diagnosis, snap }, exitCode: problemsIf(diagnosis.cause !== 'healthy') };
  }
  const diagnoses = diagnoseUnhealthy(snap, { logLines });
  return { result: { kind: 'namespace', diagnoses, snap }, exitCode: problemsIf(diagnoses.length > 0) };
}
