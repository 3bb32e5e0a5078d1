import type { Snapshot } from '../../cluster/snapshot';
import { contractView, type Diagnosis } from '../../diagnose/diagnosis';
import { groupDiagnoses } from '../../diagnose/group';
import { resolveOwner } from '../../diagnose/owner';
import { findWorkload } from '../../diagnose/workload';
import { sameFailureLine, sameFailures, type ClusterFailures, type Failure } from '../../fleet/sameFailure';
import { revisionOf } from '../../kube/deployment';
import type { Deployment } from '../../kube/types';
import type { Colors } from '../../render/color';
import { sanitizeData } from '../../security/sanitize';
import type { FleetView } from '../fleet/index';
import { workloadTarget } from './index';
import { whyJson, type WhyResult } from './run';

/** The release a failure runs: its pod's ReplicaSet revision and container image (a workload's own, when the diagnosis is of the workload). */
function failureOf(snap: Snapshot, d: Diagnosis): Failure {
  const pod = snap.pods.find((p) => p.metadata.name === d.pod);
  if (pod) {
    const rs = resolveOwner(snap, pod).replicaSet;
    const container = pod.spec.containers.find((c) => c.name === d.container) ?? pod.spec.containers[0];
    return { diagnosis: d, revision: rs ? revisionOf(rs) : null, image: container?.image ?? null };
  }
  const t = workloadTarget(d.pod);
  const w = t && findWorkload(snap, t.kind, t.name);
  const revision = w && t.kind === 'deployment' ? revisionOf(w as Deployment) : null;
  return { diagnosis: d, revision, image: w?.spec.template.spec.containers[0]?.image ?? null };
}

/** Each failing pod of a result, with the snapshot it was diagnosed from. */
function failures(r: WhyResult): Failure[] {
  switch (r.kind) {
    case 'one': return r.diagnosis.cause === 'healthy' ? [] : [failureOf(r.snap, r.diagnosis)];
    case 'namespace': return r.diagnoses.map((d) => failureOf(r.snap, d));
    case 'all': return r.namespaces.flatMap((n) => n.diagnoses.map((d) => failureOf(n.snap, d)));
    case 'alert': return r.items.flatMap((i) => (i.snap && i.diagnosis.cause !== 'healthy' ? [failureOf(i.snap, i.diagnosis)] : []));
  }
}

function summary(r: WhyResult): string {
  if (r.kind === 'one') return `${r.diagnosis.cause === 'healthy' ? 'healthy' : r.diagnosis.cause.toUpperCase()}: ${r.diagnosis.summary}`;
  const groups = groupDiagnoses(failures(r).map((f) => f.diagnosis));
  if (!groups.length) return r.kind === 'namespace' ? `No unhealthy pods match ${r.snap.selector} in ${r.snap.namespace}.` : 'No unhealthy pods.';
  const what = (g: (typeof groups)[number]) => `${g.cause.toUpperCase()} ${g.diagnosis.owner ?? g.diagnosis.pod} (${g.pods.length} pod${g.pods.length === 1 ? '' : 's'})`;
  return `${groups.length} distinct failure${groups.length === 1 ? '' : 's'}: ${groups.map(what).join('; ')}`;
}

/** why across a fleet: each cluster's `why -o json`, and the failures several clusters share, said once. */
export const whyFleet: FleetView<WhyResult> = {
  json: whyJson,
  summary,
  across: (answered) => {
    const clusters: ClusterFailures[] = answered.map((a) => ({ context: a.context, failures: failures(a.result) }));
    const shared = sameFailures(clusters);
    const n = answered.length;
    return {
      json: { sameFailures: shared.map((s) => ({ cause: s.cause, namespace: s.namespace, workload: s.workload, container: s.container, image: s.image, revisions: s.revisions, contexts: s.contexts, summary: sameFailureLine(s, n), diagnosis: contractView(s.diagnosis) })) },
      text: (c: Colors) => {
        if (!shared.length) return '';
        const blocks = sanitizeData(shared).map((s) => {
          const fix = s.diagnosis.fix ? `  ${c.bold('Next')} (in ${s.contexts.length === 1 ? s.contexts[0] : `each of ${s.contexts.join(', ')}`}): ${s.diagnosis.fix.command}\n` : '';
          return `${c.red(sameFailureLine(s, n))}\n  ${s.diagnosis.summary}\n${fix}`;
        });
        return `${c.bold(`Failures across the ${n} cluster${n === 1 ? '' : 's'} that answered:`)}\n${blocks.join('')}`;
      },
    };
  },
};
