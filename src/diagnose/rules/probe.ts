import type { KubeEvent } from '../../kube/types';
import { containerLabel, lastTermination, logKey, type Finder, type Rule, type RuleContext } from '../context';
import type { Evidence } from '../diagnosis';
import { eventCount, eventEvidence, newest, withReason } from '../events';
import { restartsText, terminationEvidence } from '../evidence';
import { isExternalKill } from '../exitCode';
import type { Finding } from '../finding';
import { describeProbe, probeMismatch, probeTiming, type ProbeTiming } from '../probeTiming';

const KILLED_BY_PROBE = /failed (liveness|startup) probe|Container failed liveness probe/i;
const RESTARTING_PROBE = /^(Liveness|Startup) probe (failed|errored)/i;
const READINESS = /^Readiness probe (failed|errored)/i;

/** The probe failure's own words, e.g. `HTTP probe failed with statuscode: 500`. */
const probeOutput = (ctx: RuleContext, re: RegExp) => newest(withReason(ctx.events, 'Unhealthy').filter((e) => re.test(e.message ?? '')));

function timingEvidence(t: ProbeTiming): Evidence[] {
  const out: Evidence[] = [];
  if (t.needed !== null && t.neededFrom) out.push({ source: 'log', detail: `start-up takes ~${Math.round(t.needed)}s (${t.neededFrom})`, at: null });
  return out;
}

/** Why the kill's exit code is not an OOM: the reader would otherwise see 137 and think memory. */
function killEvidence(ctx: RuleContext): Evidence[] {
  const t = lastTermination(ctx);
  if (!t || t.reason === 'OOMKilled' || !isExternalKill(t)) return [];
  return [
    terminationEvidence(ctx, t),
    { source: 'status', detail: `exit ${t.exitCode} here is the kubelet stopping the container after the failed probe, not an OOM kill (reason ${t.reason ?? 'none'}, not OOMKilled)`, at: t.finishedAt ?? null },
  ];
}

const findProbe: Finder = (ctx) => {
  const spec = ctx.focus.spec;
  const kills = withReason(ctx.events, 'Killing').filter((e) => KILLED_BY_PROBE.test(e.message ?? ''));
  const failing = probeOutput(ctx, RESTARTING_PROBE);
  const timing = probeTiming(ctx);
  const tooTight = !!timing && timing.needed !== null && timing.needed > timing.budget;
  const who = containerLabel(ctx);
  const restarting = spec.startupProbe ? ['startupProbe', spec.startupProbe] as const : spec.livenessProbe ? ['livenessProbe', spec.livenessProbe] as const : null;
  const probeSpec: Evidence[] = restarting && timing
    ? [{ source: 'spec', detail: `${restarting[0]} of ${spec.name}: ${describeProbe(restarting[1])}; gives up after ${timing.budgetText}`, at: null }]
    : [];
  const mismatch = probeMismatch(ctx, failing ? [{ probe: spec.startupProbe && /^Startup/i.test(failing.message ?? '') ? 'startupProbe' : 'livenessProbe', message: failing.message ?? '' }] : []);
  // A probe aimed at the wrong port or path fails however long it waits: no timing advice then.
  const tight = tooTight && !mismatch ? ` The app needs ~${Math.round(timing.needed!)}s to start but the ${timing.kind} probe gives up after ${timing.budgetText}.` : '';
  const aimed = mismatch ? ` It is aimed wrong: ${mismatch.reason}.` : '';
  const hint = {
    kind: 'probe' as const, initialDelaySeconds: tooTight && !mismatch ? timing.suggestedInitialDelay : null, liveness: mismatch?.probe !== 'readinessProbe',
    port: mismatch?.port ?? null, path: mismatch?.path ?? null, wrongPath: !!mismatch && mismatch.port === null,
  };
  const evidence = (...first: Evidence[]): Evidence[] => [...first, ...(mismatch?.evidence ?? []), ...killEvidence(ctx), ...(mismatch ? [] : probeSpec), ...(timing && !mismatch ? timingEvidence(timing) : [])];

  if (kills.length) {
    const n = kills.reduce((sum, e) => sum + eventCount(e), 0);
    const said = failing ? ` (${failing.message?.replace(RESTARTING_PROBE, '').replace(/^:\s*/, '')})` : '';
    return {
      cause: 'probe', confidence: 'confirmed', hint,
      summary: `The kubelet restarted ${who} ${n} time${n === 1 ? '' : 's'} because its probe failed${said}.${aimed}${tight}`,
      evidence: evidence(...kills.map((e) => eventEvidence(e, ctx.now)), ...(failing ? [eventEvidence(failing, ctx.now)] : [])),
    };
  }
  if (failing && (ctx.focus.status?.restartCount ?? 0) > 0) {
    return {
      cause: 'probe', confidence: 'likely', hint,
      summary: `${who}'s liveness/startup probe fails and the container restarts; the kill event itself is not in the record${restartsText(ctx)}.${aimed}${tight}`,
      evidence: evidence(eventEvidence(failing, ctx.now)),
    };
  }
  if (tooTight && (ctx.focus.status?.restartCount ?? 0) > 0) {
    return {
      cause: 'probe', confidence: 'likely', hint,
      summary: `${who} restarts and its probe timing is too tight for its start-up.${tight}`,
      evidence: evidence(),
    };
  }
  // Readiness only explains a container that runs: one that keeps dying fails its readiness
  // probe too (nothing listens), and that says nothing about why it dies.
  const notReady = probeOutput(ctx, READINESS);
  if (notReady && ctx.focus.status && !ctx.focus.status.ready && ctx.focus.status.state?.running) {
    return readinessOnly(ctx, notReady, probeSpec);
  }
  return null;
};

function readinessOnly(ctx: RuleContext, e: KubeEvent, probeSpec: Evidence[]): Finding {
  const spec = ctx.focus.spec.readinessProbe;
  return {
    cause: 'probe', confidence: 'confirmed', rank: 'weak', hint: { kind: 'probe', initialDelaySeconds: null, liveness: false },
    summary: `${containerLabel(ctx)} runs but its readiness probe fails, so it gets no traffic; the probe reports what the app cannot do.`,
    evidence: [eventEvidence(e, ctx.now), ...(spec ? [{ source: 'spec' as const, detail: `readinessProbe of ${ctx.focus.name}: ${describeProbe(spec)}`, at: null }] : []), ...probeSpec],
  };
}

/**
 * The kubelet's Killing and Unhealthy events confirm a probe failure; the start-up time (log,
 * or a sibling pod of the owner) can show a probe too tight (likely). A readiness failure of
 * a running container is confirmed by its events but ranks weak.
 */
export const probeRule: Rule = {
  cause: 'probe',
  find: findProbe,
  dependsOn: (ctx) => {
    const spec = ctx.focus.spec;
    const restarts = (ctx.focus.status?.restartCount ?? 0) > 0;
    const running = !!ctx.focus.status?.state?.running && !ctx.focus.status.ready;
    const likely = { confidence: 'likely' as const };
    if (spec.livenessProbe || spec.startupProbe) {
      return [
        { piece: 'events', could: { confidence: 'confirmed' } },
        ...(restarts ? [{ piece: 'logs' as const, key: logKey(ctx), could: likely }, { piece: 'owner' as const, could: likely }] : []),
      ];
    }
    return spec.readinessProbe && running ? [{ piece: 'events', could: { confidence: 'confirmed', rank: 'weak' } }] : [];
  },
};
