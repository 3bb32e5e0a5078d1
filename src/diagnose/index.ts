import { summarizePod } from '../kube/podState';
import { changeCorrelation } from './change';
import { buildContext, type DiagnoseOptions, type Rule } from './context';
import type { Diagnosis } from './diagnosis';
import { escalation, isFailing } from './escalate';
import type { Finding } from './finding';
import { buildFix } from './fix';
import { healthyDiagnosis, unknownDiagnosis } from './outcome';
import { mergeEvidence, rank } from './rank';
import { configRule } from './rules/config';
import { crashRule } from './rules/crash';
import { dbRule } from './rules/db';
import { evictedRule } from './rules/evicted';
import { imageRule } from './rules/image';
import { oomRule } from './rules/oom';
import { probeRule } from './rules/probe';
import { unschedulableRule } from './rules/unschedulable';
import type { Snapshot } from './snapshot';
import { matchesRequirements, parseSelector } from '../kube/selector';

export { groupDiagnoses, type DiagnosisGroup } from './group';
export type { DiagnoseOptions } from './context';

/** Every rule runs; the ranking, not the order here, picks the verdict. */
export const RULES: Rule[] = [evictedRule, unschedulableRule, imageRule, configRule, oomRule, dbRule, probeRule, crashRule];

/**
 * Pure: the snapshot in, the diagnosis out; `s.capturedAt` is "now". Throws a usage error
 * only for a --container the pod does not have.
 */
export function diagnosePod(s: Snapshot, podName: string, opts: DiagnoseOptions = {}): Diagnosis {
  const pod = s.pods.find((p) => p.metadata.name === podName);
  if (!pod) {
    return {
      pod: podName, namespace: s.namespace, container: opts.container ?? null, owner: null, cause: 'unknown', confidence: 'unknown',
      summary: `Pod ${podName} is not in the snapshot taken at ${s.capturedAt}.`, evidence: [], fix: null, escalate: null,
    };
  }
  const ctx = buildContext(s, pod, opts);
  const base = { pod: podName, namespace: ctx.namespace, container: ctx.focus.name, owner: ctx.owner.ref };
  const sum = summarizePod(pod);
  if (sum.healthy) return healthyDiagnosis(base, ctx, sum);

  const findings = rank(RULES.map((r) => r(ctx)).filter((f): f is Finding => f !== null));
  const top = findings[0];
  const esc = escalation(ctx, top);
  const change = changeCorrelation(ctx);
  const context = [...(change.evidence ? [change.evidence] : []), ...esc.evidence];
  if (!top) return unknownDiagnosis(base, ctx, esc.text, context);
  return {
    ...base,
    // Nothing ran when the pod never got a node: no container is to blame.
    container: top.cause === 'unschedulable' ? null : ctx.focus.name,
    cause: top.cause,
    confidence: top.confidence,
    summary: top.summary,
    evidence: mergeEvidence([...top.evidence, ...context], findings.slice(1).flatMap((f) => f.evidence)),
    fix: buildFix(ctx, top, change),
    escalate: esc.text,
  };
}

/**
 * Every failing pod the snapshot's selector picks (a Job's Succeeded pod is not failing).
 * The snapshot holds the namespace's other pods too, as context for the rules.
 */
export function diagnoseUnhealthy(s: Snapshot, opts: Pick<DiagnoseOptions, 'logLines'> = {}): Diagnosis[] {
  const selected = parseSelector(s.selector) ?? [];
  return s.pods.filter((p) => matchesRequirements(selected, p.metadata.labels) && isFailing(p)).map((p) => diagnosePod(s, p.metadata.name, opts));
}
