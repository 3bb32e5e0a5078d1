import { containerLabel, waitingReason, type Rule, type RuleContext } from '../context';
import type { Evidence } from '../diagnosis';
import { eventEvidence, newest, withReason } from '../events';
import { logEvidence, restartsText, waitingEvidence } from '../evidence';
import type { Finding, MissingReference } from '../finding';
import { matchingLines } from '../logLines';
import { containerReferences, describeMissing, parseMissing, refEvidence, refState } from '../references';
import { sanitizeLogLine } from '../../security/sanitize';

// What apps print when they refuse to start on a bad setting.
const BAD_SETTING = /missing required (?:env(?:ironment)?(?: var(?:iable)?)?|config(?:uration)?|setting|variable)|invalid configuration|config(?:uration)? (?:validation )?error|environment variable \S+ (?:is )?(?:not set|required|missing|undefined)|\b[A-Z][A-Z0-9_]{2,} (?:is|must be) (?:not set|required|missing|undefined|set)/i;

function brokenReferences(ctx: RuleContext): { missing: MissingReference; via: string }[] {
  return containerReferences(ctx.pod, ctx.focus.spec)
    .filter((r) => !r.optional && ['missing', 'missing-key'].includes(refState(ctx.references, r)))
    .map((r) => ({ missing: { kind: r.kind, name: r.name, key: refState(ctx.references, r) === 'missing-key' ? r.key : null }, via: r.via }));
}

function finding(confidence: Finding['confidence'], summary: string, missing: MissingReference | null, evidence: Evidence[]): Finding {
  return { cause: 'config', confidence, summary, evidence, hint: { kind: 'config', missing } };
}

/**
 * The kubelet names the missing Secret/ConfigMap or key (CreateContainerConfigError, or
 * FailedMount for volumes) → confirmed. An app that stops at start-up naming a setting, or a
 * reference the gatherer found broken while the container crashes → likely.
 */
export const configRule: Rule = (ctx) => {
  const who = containerLabel(ctx);
  const broken = brokenReferences(ctx);
  const refFacts = broken.map((b) => refEvidence(ctx.references, b.missing, b.via));

  if (waitingReason(ctx) === 'CreateContainerConfigError') {
    const failed = newest(withReason(ctx.events, 'Failed'));
    const text = ctx.focus.status?.state?.waiting?.message ?? failed?.message ?? '';
    const missing = parseMissing(text) ?? broken[0]?.missing ?? null;
    const what = missing ? describeMissing(missing) : sanitizeLogLine(text.replace(/^Error: /, '')) || 'its configuration is invalid';
    const ev = [...waitingEvidence(ctx), ...(failed ? [eventEvidence(failed, ctx.now)] : []), ...(refFacts.length ? refFacts : missing ? [refEvidence(ctx.references, missing)] : [])];
    return finding('confirmed', `${who} cannot be created: ${what} (CreateContainerConfigError).`, missing, ev);
  }

  const mount = newest(withReason(ctx.podEvents, 'FailedMount').filter((e) => parseMissing(e.message ?? '')));
  if (mount && !ctx.focus.status?.state?.running) {
    const missing = parseMissing(mount.message ?? '')!;
    return finding('confirmed', `The pod cannot mount its volumes: ${describeMissing(missing)} (FailedMount).`, missing, [eventEvidence(mount, ctx.now), refEvidence(ctx.references, missing)]);
  }

  const crashing = (ctx.focus.status?.restartCount ?? 0) > 0 || !!ctx.focus.status?.state?.terminated;
  if (!crashing) return null;
  const said = matchingLines(ctx.logs, BAD_SETTING).slice(-Math.max(1, ctx.logLines));
  if (said.length) {
    return finding('likely', `${who} stops at start-up on its configuration: "${said.at(-1)}"${restartsText(ctx)}.`, broken[0]?.missing ?? null, [...logEvidence(said), ...refFacts]);
  }
  if (broken.length) {
    return finding('likely', `${who} crashes and ${describeMissing(broken[0]!.missing)}${restartsText(ctx)}.`, broken[0]!.missing, refFacts);
  }
  return null;
};
