import type { ReplicaSet } from '../../kube/types';
import { containerLabel, logKey, waitingReason, type RuleContext } from '../context';
import type { Evidence, Fix } from '../diagnosis';
import { eventEvidence, newest, withReason } from '../events';
import { logEvidence, restartsText, waitingEvidence } from '../evidence';
import type { Finding } from '../finding';
import { shellQuote } from '../../kube/shell';
import type { FixKit } from '../fixKit';
import { linesOfClass } from '../logLines';
import { containerReferences } from '../../kube/podSpecRefs';
import { describeMissing, parseMissing, refEvidence, refState, type MissingReference } from '../references';
import { referenceKey } from '../../cluster/snapshot';
import { sanitizeLogLine } from '../../security/sanitize';
import { defineCause, type CauseModule, type Found } from './cause';

function brokenReferences(ctx: RuleContext): { missing: MissingReference; via: string }[] {
  return containerReferences(ctx.pod.spec, ctx.focus.spec)
    .filter((r) => !r.optional && ['missing', 'missing-key'].includes(refState(ctx.references, r)))
    .map((r) => ({ missing: { kind: r.kind, name: r.name, key: refState(ctx.references, r) === 'missing-key' ? r.key : null }, via: r.via }));
}

type ConfigFinding = Found<'config', MissingReference | null>;

function finding(confidence: Finding['confidence'], summary: string, missing: MissingReference | null, evidence: Evidence[]): ConfigFinding {
  return { cause: 'config', confidence, summary, evidence, hint: missing };
}

/**
 * The kubelet names the missing Secret/ConfigMap or key (CreateContainerConfigError, or
 * FailedMount for volumes) → confirmed. An app that stops at start-up naming a setting, or a
 * reference the gatherer found broken while the container crashes → likely.
 */
function findConfig(ctx: RuleContext): ConfigFinding | null {
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
  const said = linesOfClass(ctx.logs, 'config').slice(-Math.max(1, ctx.logLines)).map((h) => h.line);
  if (said.length) {
    return finding('likely', `${who} stops at start-up on its configuration: "${said.at(-1)}"${restartsText(ctx)}.`, broken[0]?.missing ?? null, [...logEvidence(said), ...refFacts]);
  }
  if (broken.length) {
    return finding('likely', `${who} crashes and ${describeMissing(broken[0]!.missing)}${restartsText(ctx)}.`, broken[0]!.missing, refFacts);
  }
  return null;
}

function createFix(k: FixKit, m: MissingReference): Fix {
  const kind = m.kind === 'Secret' ? 'secret' : 'configmap';
  const field = m.kind === 'Secret' ? 'stringData' : 'data';
  const create = m.kind === 'Secret' ? `kubectl create secret generic ${m.name}` : `kubectl create configmap ${m.name}`;
  return {
    command: `# ${m.key ? `add key ${m.key} to` : 'create'} ${m.kind} ${m.name} (kubectl dhakacart does not write Secrets or ConfigMaps); the kubelet retries on its own`,
    kubectl: [m.key
      ? `kubectl patch ${kind} ${m.name} ${k.ns} --type merge -p ${shellQuote(JSON.stringify({ [field]: { [m.key]: 'VALUE' } }))}`
      : `${create} ${k.ns} --from-literal=KEY=VALUE`],
  };
}

/** Whether a ReplicaSet's pod template needs the Secret/ConfigMap (and key) that is missing now. */
function templateReads(rs: ReplicaSet, m: MissingReference): boolean {
  const spec = rs.spec.template.spec;
  return [...(spec.initContainers ?? []), ...spec.containers]
    .flatMap((ct) => containerReferences(spec, ct))
    .some((r) => !r.optional && r.kind === m.kind && r.name === m.name && (m.key === null || r.key === m.key));
}

/** After a recent rollout, go back, unless the revision a rollback returns to reads the same Secret/key: it would fail the same way. */
function configFix(k: FixKit, missing: MissingReference | null): Fix | null {
  if (k.change.recent) {
    const aim = k.rollbackAim();
    if (aim && !(missing && templateReads(aim.target, missing))) return k.rollback(aim);
  }
  return missing ? createFix(k, missing) : null;
}

/**
 * FailedMount (events) confirms a missing volume source of a container that is not running;
 * a crashing container's log or a reference it reads can show a bad setting (likely).
 */
export const config: CauseModule<'config'> = defineCause({
  cause: 'config',
  find: findConfig,
  fix: (k, f) => configFix(k, f.hint ?? null),
  dependsOn: (ctx) => {
    const refs = containerReferences(ctx.pod.spec, ctx.focus.spec).filter((r) => !r.optional);
    const mounts = !ctx.focus.status?.state?.running && (ctx.pod.spec.volumes ?? []).some((v) => v.secret || v.configMap);
    const crashing = (ctx.focus.status?.restartCount ?? 0) > 0 || !!ctx.focus.status?.state?.terminated;
    return [
      ...(mounts ? [{ piece: 'events' as const, could: { confidence: 'confirmed' as const } }] : []),
      ...(crashing ? [
        { piece: 'logs' as const, key: logKey(ctx), could: { confidence: 'likely' as const } },
        ...refs.map((r) => ({ piece: 'reference' as const, key: referenceKey(r), could: { confidence: 'likely' as const } })),
      ] : []),
    ];
  },
});
