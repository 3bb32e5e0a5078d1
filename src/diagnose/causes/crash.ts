import { containerLabel, lastTermination, type RuleContext } from '../context';
import type { Evidence, Fix } from '../diagnosis';
import { eventEvidence, newest, withReason } from '../events';
import { logEvidence, restartsText, terminationEvidence, waitingEvidence } from '../evidence';
import { decodeExit, isExternalKill, runtimeOfImage } from '../exitCode';
import { describeHit, errorLines, excerptLabel, logRuntime, type LogExcerpt } from '../logLines';
import { diskFull, expandedSize } from '../volumes';
import { shellQuote } from '../../kube/shell';
import type { FixKit } from '../fixKit';
import { sanitizeLogLine } from '../../security/sanitize';
import { defineCause, type CauseModule, type Found } from './cause';

/** The log says the disk is full: the PVCs the container writes to, with the size they were created with. */
type FullClaims = { claim: string; size: string | null }[];

/** The runtime could not start the process at all: the status message says why. */
const START_FAILURES = ['RunContainerError', 'CreateContainerError', 'StartError', 'ContainerCannotRun', 'PreStartHookError', 'PostStartHookError'];

/** The most specific log line with its class, else the last line of a log with no error line in it. */
function logSays(ex: LogExcerpt): string {
  if (ex.headline) return ` Log headline (${describeHit(ex.headline)}): "${ex.headline.line}"`;
  const last = ex.lines.at(-1);
  return last ? ` Last log line (${excerptLabel(ex)}): "${last}"` : '';
}

/**
 * The fallback: the container stops and no other rule placed the cause. The exit code is a
 * status fact (confirmed) when the process chose it; a kill signal from outside (137, 143)
 * says nothing of the app, so that stays likely.
 */
function findCrash(ctx: RuleContext): Found<'crash', FullClaims> | null {
  const st = ctx.focus.status;
  const t = lastTermination(ctx);
  const waiting = st?.state?.waiting?.reason ?? null;
  const cannotStart = START_FAILURES.includes(waiting ?? '') || START_FAILURES.includes(t?.reason ?? '');
  const looping = waiting === 'CrashLoopBackOff' || (st?.restartCount ?? 0) > 0;
  if (!cannotStart && !(t && (t.exitCode !== 0 || looping))) {
    return null;
  }
  const who = containerLabel(ctx);
  const excerpt = errorLines(ctx.logs, ctx.logLines, t?.message);
  const evidence: Evidence[] = [...waitingEvidence(ctx), ...(t ? [terminationEvidence(ctx, t)] : [])];
  const backoff = newest(withReason(ctx.events, 'BackOff').filter((e) => /restarting failed container/i.test(e.message ?? '')));
  if (backoff) evidence.push(eventEvidence(backoff, ctx.now));
  // A plain tail is context, not evidence: its last line is quoted, the rest is left to the output's log section.
  evidence.push(...logEvidence(excerpt.plain ? { ...excerpt, lines: excerpt.lines.slice(-1) } : excerpt));
  const said = logSays(excerpt);

  if (cannotStart && (!t || t.exitCode === 128 || START_FAILURES.includes(t.reason ?? ''))) {
    const msg = st?.state?.waiting?.message ?? t?.message ?? '';
    return { cause: 'crash', confidence: 'confirmed', summary: `The runtime cannot start ${who} (${waiting ?? t?.reason})${msg ? `: ${sanitizeLogLine(msg)}` : ''}.`, evidence };
  }
  if (!t) return null;
  const exit = decodeExit(t, logRuntime(ctx.logs) ?? runtimeOfImage(ctx.focus.spec.image));
  // A full volume is why the process gives up; the exit code says only that it did.
  const disk = t.exitCode !== 0 ? diskFull(ctx) : null;
  if (disk) {
    const where = disk.claims.length ? `: PersistentVolumeClaim ${disk.claims.map((c) => c.claim).join(', ')} is likely full` : '';
    return {
      cause: 'crash', confidence: 'confirmed',
      summary: `${who} exits with code ${t.exitCode} (${exit.meaning}) because it cannot write to disk${where}${restartsText(ctx)}. The log says: "${disk.lines.at(-1)}"`,
      evidence: [...evidence.filter((e) => e.source !== 'log'), ...logEvidence(disk.lines), ...disk.evidence],
      hint: disk.claims.map((c) => ({ claim: c.claim, size: c.size })),
      ...(disk.claims.length ? { infra: [`volume${disk.claims.length > 1 ? 's' : ''} ${disk.claims.map((c) => c.claim).join(', ')} of ${ctx.pod.metadata.name} ${disk.claims.length > 1 ? 'are' : 'is'} full`] } : {}),
    };
  }
  const how = t.exitCode === 0 ? 'exits with code 0: it finishes instead of serving, and is restarted' : `exits with code ${t.exitCode} (${exit.meaning})`;
  const external = isExternalKill(t);
  const origin = external ? '; neither OOMKilled nor a probe kill is recorded, so what sent the signal is not known' : '';
  return { cause: 'crash', confidence: external ? 'likely' : 'confirmed', summary: `${who} ${how}${origin}${restartsText(ctx)}.${said}`, evidence };
}

/** A full PVC: grow it (no plugin command does); the claim's StorageClass must allow expansion. */
function diskFix(k: FixKit, claims: FullClaims): Fix | null {
  if (!claims.length) return null;
  return {
    command: `# kubectl dhakacart does not resize volumes: expand the PersistentVolumeClaim${claims.length > 1 ? 's' : ''} (check the current size first; the StorageClass must have allowVolumeExpansion)`,
    kubectl: claims.flatMap((cl) => [
      `kubectl get pvc ${cl.claim} ${k.ns}`,
      `kubectl patch pvc ${cl.claim} ${k.ns} -p ${shellQuote(JSON.stringify({ spec: { resources: { requests: { storage: expandedSize(cl.size) ?? 'SIZE' } } } }))}`,
    ]),
  };
}

/** The fallback: it names only the symptom and ranks below every other cause, so nothing it could have seen changes a verdict. */
export const crash: CauseModule<'crash'> = defineCause({
  cause: 'crash',
  symptom: true,
  find: findCrash,
  dependsOn: () => [],
  fix: (k, f) => (f.hint ? diskFix(k, f.hint) : k.rollbackIfRecent()),
});
