import { summarizePod } from '../kube/podState';
import { changeCorrelation } from './change';
import { CAUSES } from './causes';
import { buildContext, lastTermination, type DiagnoseOptions, type RuleContext } from './context';
import { errorLines } from './logLines';
import type { Diagnosis } from './diagnosis';
import { escalation, healthClock, isFailing } from './escalate';
import type { Finding } from './finding';
import { buildFix } from './fix';
import { healthyDiagnosis, unknownDiagnosis } from './outcome';
import { doubtNote, mergeEvidence, rankWithGaps, type Possible } from './rank';
import type { Snapshot } from '../cluster/snapshot';
import { notLookedAt } from './unread';
import { diagnoseWorkload, findWorkload, type WorkloadKind } from './workload';
import { matchesRequirements, parseSelector } from '../kube/selector';

export { groupDiagnoses, type DiagnosisGroup } from './group';
export type { DiagnoseOptions } from './context';

/** What the rules could have found in the evidence this pod's snapshot lacks. */
function possibleFindings(ctx: RuleContext): Possible[] {
  return CAUSES.flatMap((r) => r.dependsOn(ctx).map((d) => ({ cause: r.cause, ...d.could, gaps: ctx.unread(d.piece, d.key) })))
    .filter((p) => p.gaps.length > 0);
}

/**
 * Pure: the snapshot in, the diagnosis out; `s.capturedAt` is "now". Throws a usage error
 * only for a --container the pod does not have.
 */
export function diagnosePod(s: Snapshot, podName: string, opts: DiagnoseOptions = {}): Diagnosis {
  const pod = s.pods.find((p) => p.metadata.name === podName);
  if (!pod) {
    return {
      pod: podName, namespace: s.namespace, container: opts.container ?? null, owner: null, cause: 'unknown', confidence: 'unknown',
      summary: `Pod ${podName} is not in the snapshot taken at ${s.capturedAt}.`, evidence: [], fix: null, escalate: null, notLookedAt: notLookedAt(s.gaps),
    };
  }
  const ctx = buildContext(s, pod, opts);
  const d = diagnoseInContext(s, ctx, podName, opts);
  // Nothing ran when the pod never got a node: no container's log to show.
  return d.container ? { ...d, log: errorLines(ctx.logs, ctx.logLines, lastTermination(ctx)?.message) } : d;
}

function diagnoseInContext(s: Snapshot, ctx: RuleContext, podName: string, opts: DiagnoseOptions): Diagnosis {
  const pod = ctx.pod;
  const visiting = [...(opts.visiting ?? []), podName];
  ctx.diagnoseOther = (other) => (visiting.includes(other) ? null : diagnosePod(s, other, { logLines: opts.logLines, visiting }));
  const base = { pod: podName, namespace: ctx.namespace, container: ctx.focus.name, owner: ctx.owner.ref, notLookedAt: notLookedAt(ctx.gaps) };
  const sum = summarizePod(pod, healthClock(s));
  if (sum.healthy) return healthyDiagnosis(base, ctx, sum);

  const verdict = rankWithGaps(CAUSES.map((r): Finding | null => r.find(ctx)).filter((f): f is Finding => f !== null), possibleFindings(ctx));
  const findings = verdict.findings;
  const top = findings[0];
  const esc = escalation(ctx, top);
  const change = changeCorrelation(ctx);
  const context = [...(change.evidence ? [change.evidence] : []), ...esc.evidence];
  if (!top) return { ...unknownDiagnosis(base, ctx, esc.text, context), escalations: esc.reasons };
  const evidence = mergeEvidence([...top.evidence, ...context], findings.slice(1).flatMap((f) => f.evidence));
  if (verdict.cannotTell) {
    return {
      ...base, cause: 'unknown', confidence: 'unknown', evidence, fix: null, escalate: esc.text, escalations: esc.reasons,
      summary: `Cannot tell the cause: evidence that could name another one could not be read. Best guess (${top.cause}): ${top.summary}${doubtNote(verdict.doubts)}`,
    };
  }
  return {
    ...base,
    // Nothing ran when the pod never got a node: no container is to blame.
    container: top.cause === 'unschedulable' ? null : ctx.focus.name,
    cause: top.cause,
    confidence: top.confidence,
    summary: `${top.summary}${doubtNote(verdict.doubts)}`,
    evidence,
    fix: buildFix(ctx, top, change),
    escalate: esc.text,
    escalations: esc.reasons,
  };
}

/**
 * Every failing pod the snapshot's selector picks and every failing pod of a dependency
 * (a Job's Succeeded pod is not failing), then the workloads that are down with no pod to
 * blame: a selected Deployment stopped or with pods missing, a dependency scaled to 0.
 * The snapshot holds the namespace's other pods too, as context for the rules.
 */
export function diagnoseUnhealthy(s: Snapshot, opts: Pick<DiagnoseOptions, 'logLines'> = {}): Diagnosis[] {
  const selected = parseSelector(s.selector) ?? [];
  const clock = healthClock(s);
  const deps = s.dependencies ?? [];
  const depPods = new Set(deps.flatMap((d) => d.failingPods));
  const pods = s.pods.filter((p) => (matchesRequirements(selected, p.metadata.labels) || depPods.has(p.metadata.name)) && isFailing(p, clock));
  const out = pods.map((p) => diagnosePod(s, p.metadata.name, opts));
  const owners = new Set(out.map((d) => d.owner));
  const workloads: { kind: WorkloadKind; name: string; needed: string | null }[] = [
    ...s.deployments.filter((d) => matchesRequirements(selected, d.spec.template.metadata?.labels)).map((d) => ({ kind: 'deployment' as const, name: d.metadata.name, needed: null })),
    ...deps.filter((d) => d.healthy === false && d.kind !== 'Service').map((d) => ({ kind: d.kind.toLowerCase() as WorkloadKind, name: d.name, needed: d.via })),
  ];
  for (const w of workloads) {
    const obj = findWorkload(s, w.kind, w.name);
    if (!obj || owners.has(`${w.kind}/${w.name}`)) continue;
    const d = diagnoseWorkload(s, w.kind, obj, w.needed);
    if (d) out.push(d);
    owners.add(`${w.kind}/${w.name}`);
  }
  return out;
}
