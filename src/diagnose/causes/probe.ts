import type { KubeEvent } from '../../kube/types';
import { planProbe } from '../../remedy/probe';
import { containerLabel, lastTermination, logKey, type RuleContext } from '../context';
import type { Evidence, Fix } from '../diagnosis';
import { eventCount, eventEvidence, newest, withReason } from '../events';
import { restartsText, terminationEvidence } from '../evidence';
import { isExternalKill } from '../exitCode';
import { planned, type FixKit } from '../fixKit';
import { describeProbe, probeMismatch, probeTiming, type ProbeTiming } from '../probeTiming';
import { defineCause, type CauseModule, type Found } from './cause';

/**
 * What the fix changes. port/path: where the probe should point instead (probe analysis);
 * then the timing is not the problem. `wrongPath`: a 404 with no path known to answer.
 * Only a liveness/startup probe restarts the container: a readiness finding gets no fix.
 */
interface ProbeHint { initialDelaySeconds: number | null; liveness: boolean; port: number | null; path: string | null; wrongPath: boolean }
type ProbeFinding = Found<'probe', ProbeHint>;

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

function findProbe(ctx: RuleContext): ProbeFinding | null {
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
  const hint: ProbeHint = {
    initialDelaySeconds: tooTight && !mismatch ? timing.suggestedInitialDelay : null, liveness: mismatch?.probe !== 'readinessProbe',
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
}

function readinessOnly(ctx: RuleContext, e: KubeEvent, probeSpec: Evidence[]): ProbeFinding {
  const spec = ctx.focus.spec.readinessProbe;
  return {
    cause: 'probe', confidence: 'confirmed', rank: 'weak',
    summary: `${containerLabel(ctx)} runs but its readiness probe fails, so it gets no traffic; the probe reports what the app cannot do.`,
    evidence: [eventEvidence(e, ctx.now), ...(spec ? [{ source: 'spec' as const, detail: `readinessProbe of ${ctx.focus.name}: ${describeProbe(spec)}`, at: null }] : []), ...probeSpec],
  };
}

/** A probe aimed at the wrong port or path is pointed right; only a slow start gets a relaxed probe. */
function probeFix(k: FixKit, h: ProbeHint): Fix | null {
  const initialDelay = h.initialDelaySeconds;
  const aim = { ...(h.port ? { port: h.port } : {}), ...(h.path ? { path: h.path } : {}) };
  if (h.wrongPath && !h.path) {
    return {
      command: `${k.plugin('fix probe', `${k.containerFlag()} --path PATH`)}  # PATH: the health path the app serves (its probe's path answers 404)`,
      kubectl: [`kubectl get ${k.ref} ${k.ns} -o jsonpath='{.spec.template.spec.containers[?(@.name=="${k.ctx.focus.name}")].livenessProbe}'`],
    };
  }
  const plan = planned(() => planProbe(k.w.asDeployment, { container: k.ctx.focus.name, ...aim, ...(initialDelay ? { initialDelay } : {}) }));
  if (!plan?.patch) return null;
  const flags = `${h.port ? ` --port ${h.port}` : ''}${h.path ? ` --path ${h.path}` : ''}${initialDelay ? ` --initial-delay ${initialDelay}` : ''}`;
  return { command: k.plugin('fix probe', `${k.containerFlag()}${flags}`), kubectl: [k.planned({ ...plan, patch: plan.patch })] };
}

/**
 * The kubelet's Killing and Unhealthy events confirm a probe failure; the start-up time (log,
 * or a sibling pod of the owner) can show a probe too tight (likely). A readiness failure of
 * a running container is confirmed by its events but ranks weak.
 */
export const probe: CauseModule<'probe'> = defineCause({
  cause: 'probe',
  fixCommand: 'fix probe',
  find: findProbe,
  fix: (k, f) => (f.hint?.liveness ? probeFix(k, f.hint) : null),
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
});
