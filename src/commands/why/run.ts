import { connect } from '../../cluster/connect';
import { gatherWhy } from '../../cluster/gatherWhy';
import { diagnosePod, diagnoseUnhealthy, groupDiagnoses } from '../../diagnose/index';
import type { Diagnosis } from '../../diagnose/diagnosis';
import type { Snapshot } from '../../cluster/snapshot';
import { notLookedAt } from '../../diagnose/unread';
import { diagnoseWorkload, findWorkload, type WorkloadKind } from '../../diagnose/workload';
import { ExitCode, clusterError, usageError } from '../../errors';
import type { Io } from '../../io';
import { DEFAULT_POD_SELECTOR, matchesRequirements, parseSelector } from '../../kube/selector';
import type { Pod } from '../../kube/types';
import type { GlobalOptions } from '../../options';
import { startSpinner } from '../../render/spinner';
import { isStructured, renderStructured } from '../../render/structured';
import { WORKLOAD_TARGET, type WhyArgs } from './index';
import { renderDiagnosis, renderGroups } from './render';
import { loadSnapshot, saveSnapshot } from './snapshotFile';

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
    return await gatherWhy(api, { namespace, pod, selector, context: api.ctx.context, now: io.now(), windowMs: a.sinceMs });
  } finally {
    spinner.stop();
  }
}

/** -A: one cluster-wide pod list finds the namespaces with selected pods; each is then gathered as one namespace is. */
async function namespacesWithApps(g: GlobalOptions, selector: string): Promise<string[]> {
  const pods = await connect(g).list<Pod>('/api/v1/pods');
  const reqs = parseSelector(selector) ?? [];
  return [...new Set(pods.items.filter((p) => matchesRequirements(reqs, p.metadata.labels)).map((p) => p.metadata.namespace ?? ''))].sort();
}

function workloadDiagnosis(snap: Snapshot, target: string): Diagnosis {
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
  const own = diagnoseUnhealthy(snap).filter((d) => d.owner === ref);
  if (own.length) return own[0]!;
  const d = diagnoseWorkload(snap, kind, obj, dep && dep.healthy === false ? dep.via : null, true);
  return d ?? {
    pod: ref, namespace: snap.namespace, container: null, owner: ref, cause: 'healthy', confidence: 'confirmed', evidence: [], fix: null, escalate: null,
    summary: `${ref} has its replicas available and none of its pods is failing.`, notLookedAt: notLookedAt(snap.gaps),
  };
}

export async function runWhy(g: GlobalOptions, a: WhyArgs, io: Io): Promise<number> {
  const selector = a.selector ?? DEFAULT_POD_SELECTOR;
  if (a['all-namespaces']) {
    if (a.pod || a['from-file'] || a.save) throw usageError('-A/--all-namespaces diagnoses every namespace: it takes no POD, --from-file or --save', 'name the namespace with -n instead');
    const diagnoses: Diagnosis[] = [];
    const gaps: Snapshot['gaps'] = [];
    for (const ns of await namespacesWithApps(g, selector)) {
      const snap = await snapshotFor(g, a, io, selector, ns);
      const found = diagnoseUnhealthy(snap, { logLines: a.logs });
      diagnoses.push(...found);
      gaps.push(...snap.gaps);
      if (!isStructured(g.output)) io.out(renderGroups(groupDiagnoses(found), snap, Date.parse(snap.capturedAt), io.colors, a.logs));
    }
    if (isStructured(g.output)) io.out(renderStructured({ namespace: null, diagnoses, notLookedAt: notLookedAt(gaps) }, g.output));
    return diagnoses.length ? ExitCode.problems : ExitCode.ok;
  }
  const snap = await snapshotFor(g, a, io, selector, g.namespace);
  if (a.save) saveSnapshot(a.save, snap);
  const pod = a.pod ?? snap.target;
  const now = Date.parse(snap.capturedAt);

  if (pod) {
    const d = WORKLOAD_TARGET.test(pod) ? workloadDiagnosis(snap, pod) : diagnosePod(snap, pod, { container: a.container, logLines: a.logs });
    io.out(isStructured(g.output) ? renderStructured(d, g.output) : renderDiagnosis(d, snap, now, io.colors, a.logs));
    return d.cause === 'healthy' ? ExitCode.ok : ExitCode.problems;
  }
  const diagnoses = diagnoseUnhealthy(snap, { logLines: a.logs });
  const dependencies = (snap.dependencies ?? []).map(({ failingPods: _, ...d }) => d);
  if (isStructured(g.output)) io.out(renderStructured({ namespace: snap.namespace, diagnoses, dependencies, notLookedAt: notLookedAt(snap.gaps) }, g.output));
  else io.out(renderGroups(groupDiagnoses(diagnoses), snap, now, io.colors, a.logs));
  return diagnoses.length ? ExitCode.problems : ExitCode.ok;
}
