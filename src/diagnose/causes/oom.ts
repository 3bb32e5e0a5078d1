import { formatBytes, parseQuantity } from '../../kube/quantity';
import { planOom } from '../../remedy/oom';
import { containerLabel, logKey, terminations, type RuleContext } from '../context';
import type { Evidence, Fix } from '../diagnosis';
import { eventEvidence, withReason } from '../events';
import { logEvidence, restartsText, terminationEvidence } from '../evidence';
import { linesOfClass } from '../logLines';
import { planned, type FixKit } from '../fixKit';
import { defineCause, type CauseModule, type Found } from './cause';

/** Usage at or above this share of the limit counts as "at the limit". */
const NEAR_LIMIT = 0.9;

function memoryFacts(ctx: RuleContext): { limitText: string | null; evidence: Evidence[]; nearLimit: boolean } {
  const res = ctx.focus.spec.resources;
  const limitText = res?.limits?.memory ?? null;
  const evidence: Evidence[] = [];
  if (limitText || res?.requests?.memory) {
    evidence.push({ source: 'spec', detail: `memory of ${ctx.focus.name}: limit ${limitText ?? 'none'}, request ${res?.requests?.memory ?? 'none'}`, at: null });
  }
  const usageText = ctx.metrics?.containers.find((c) => c.name === ctx.focus.name)?.usage.memory;
  const usage = usageText ? parseQuantity(usageText) : null;
  const limit = limitText ? parseQuantity(limitText) : null;
  const nearLimit = usage !== null && !!limit && usage >= NEAR_LIMIT * limit;
  if (usage !== null && limit) {
    evidence.push({ source: 'status', detail: `metrics: ${ctx.focus.name} uses ${formatBytes(usage)}, ${Math.round((usage / limit) * 100)}% of its ${limitText} limit`, at: ctx.metrics?.timestamp ?? null });
  }
  return { limitText, evidence, nearLimit };
}

/**
 * OOMKilled in the container's state is the kernel's own word → confirmed. Exit 137 is not:
 * a liveness kill past the grace period gives 137 too, so 137 counts only with a second
 * sign (node SystemOOM, usage at the limit) and then only as likely.
 */
function findOom(ctx: RuleContext): Found<'oom', never> | null {
  const ts = terminations(ctx);
  const killed = ts.find((t) => t.reason === 'OOMKilled');
  const mem = memoryFacts(ctx);
  const systemOom = withReason(ctx.nodeEvents, 'SystemOOM', 'OOMKilling').map((e) => eventEvidence(e, ctx.now, 'node'));
  const heap = linesOfClass(ctx.logs, 'oom').slice(-2).map((h) => h.line);
  const who = containerLabel(ctx);

  if (killed) {
    const where = mem.limitText ? `at its ${mem.limitText} memory limit` : 'with no memory limit set: the node itself ran out of memory';
    return {
      cause: 'oom',
      confidence: 'confirmed',
      summary: `${who} was OOMKilled (exit ${killed.exitCode}) ${where}${restartsText(ctx)}.`,
      evidence: [terminationEvidence(ctx, killed), ...mem.evidence, ...systemOom, ...logEvidence(heap)],
    };
  }
  const sigkill = ts.find((t) => t.exitCode === 137);
  if (sigkill && (systemOom.length || mem.nearLimit)) {
    const sign = systemOom.length ? `node ${ctx.pod.spec.nodeName} reported SystemOOM` : `memory use is at its ${mem.limitText} limit`;
    return {
      cause: 'oom',
      confidence: 'likely',
      summary: `${who} was SIGKILLed (exit 137) and ${sign}; the status does not say OOMKilled, so this is inferred${restartsText(ctx)}.`,
      evidence: [terminationEvidence(ctx, sigkill), ...mem.evidence, ...systemOom],
    };
  }
  if (heap.length) {
    return {
      cause: 'oom',
      confidence: 'likely',
      summary: `${who} ran out of heap inside the process (its runtime's own limit, below the container limit ${mem.limitText ?? 'none'})${restartsText(ctx)}.`,
      evidence: [...logEvidence(heap), ...ts.slice(0, 1).map((t) => terminationEvidence(ctx, t)), ...mem.evidence],
    };
  }
  return null;
}

/** A limit above the peak (remedy/oom.ts), as `fix oom` would plan it. */
export function oomFix(k: FixKit): Fix | null {
  const plan = planned(() => planOom(k.w.asDeployment, k.ctx.snapshot.nodes, { container: k.ctx.focus.name }));
  if (!plan?.patch) return null;
  const limit = plan.changes.find((ch) => ch.path.endsWith('limits.memory'))?.to;
  return { command: k.plugin('fix oom', `${k.containerFlag()}${limit ? ` --memory ${limit}` : ''}`), kubectl: [k.planned({ ...plan, patch: plan.patch })] };
}

/** A heap exhausted in the log (likely); for a SIGKILL without OOMKilled, the node's SystemOOM or usage at the limit (likely). */
export const oom: CauseModule<'oom'> = defineCause({
  cause: 'oom',
  fixCommand: 'fix oom',
  find: findOom,
  fix: oomFix,
  dependsOn: (ctx) => {
    const ts = terminations(ctx);
    if (!ts.length) return [];
    const likely = { confidence: 'likely' as const };
    return [
      { piece: 'logs', key: logKey(ctx), could: likely },
      ...(ts.some((t) => t.exitCode === 137) ? [{ piece: 'nodeEvents' as const, could: likely }, { piece: 'metrics' as const, could: likely }] : []),
    ];
  },
});
