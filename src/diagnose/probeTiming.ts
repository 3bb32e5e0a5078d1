import { PROBE_DEFAULTS } from '../remedy/probe';
import type { Pod, Probe } from '../kube/types';
import type { RuleContext } from './context';
import { cleanLine, splitLines } from './logLines';
import { resolveOwner } from './owner';

export interface ProbeTiming {
  kind: 'startup' | 'liveness';
  /** Seconds after start at which the kubelet gives up: initialDelaySeconds + failureThreshold × periodSeconds. */
  budget: number;
  budgetText: string;
  /** Observed start-up time in seconds, and where it was seen; null when nothing showed it. */
  needed: number | null;
  neededFrom: string | null;
  /** An initialDelaySeconds that fits the observed start-up with a margin. */
  suggestedInitialDelay: number | null;
}

const unitSeconds = (u: string) => (/^(ms|milli)/i.test(u) ? 0.001 : /^m/i.test(u) ? 60 : 1);
// "Server started in 75.2s", "ready after 80 seconds", "startup took 1.5 min".
const STARTED_IN = /\b(?:start(?:ed|up)?|ready|listening|boot(?:ed)?|initiali[sz](?:ed|ation))\b.*?\b(?:in|after|took)\s+(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)\b/i;

export function describeProbe(p: Probe): string {
  const how = p.httpGet ? `http-get ${p.httpGet.scheme === 'HTTPS' ? 'https' : 'http'}://:${p.httpGet.port}${p.httpGet.path ?? '/'}`
    : p.tcpSocket ? `tcp-socket :${p.tcpSocket.port}` : p.exec ? 'exec' : p.grpc ? `grpc :${p.grpc.port}` : 'probe';
  return `${how} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #failure=${p.failureThreshold ?? 3}`;
}

function startupFromLogs(ctx: RuleContext): { seconds: number; line: string } | null {
  const lines = [...splitLines(ctx.logs?.previous.text), ...splitLines(ctx.logs?.current.text)];
  for (const line of lines.reverse()) {
    const m = STARTED_IN.exec(line);
    if (m) return { seconds: Number(m[1]) * unitSeconds(m[2]!), line: cleanLine(line) };
  }
  return null;
}

/** A healthy pod of the same workload shows how long this container takes to become Ready. */
function startupFromSiblings(ctx: RuleContext): { seconds: number; pod: string } | null {
  const mine = ctx.owner.ref;
  if (!mine) return null;
  const readyAfter = (p: Pod): number | null => {
    const run = p.status?.containerStatuses?.find((c) => c.name === ctx.focus.name && c.ready)?.state?.running?.startedAt;
    const ready = p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime;
    return run && ready ? (Date.parse(ready) - Date.parse(run)) / 1000 : null;
  };
  for (const p of ctx.snapshot.pods) {
    if (p.metadata.name === ctx.pod.metadata.name || resolveOwner(ctx.snapshot, p).ref !== mine) continue;
    const s = readyAfter(p);
    if (s !== null && s > 0) return { seconds: s, pod: p.metadata.name };
  }
  return null;
}

/** Whether the probe that restarts the container leaves the app enough time to start. */
export function probeTiming(ctx: RuleContext): ProbeTiming | null {
  const spec = ctx.focus.spec;
  const probe = spec.startupProbe ?? spec.livenessProbe;
  if (!probe) return null;
  const kind = spec.startupProbe ? 'startup' : 'liveness';
  const delay = probe.initialDelaySeconds ?? 0;
  const period = probe.periodSeconds ?? 10;
  const threshold = probe.failureThreshold ?? 3;
  const budget = delay + threshold * period;
  const budgetText = `${budget}s (initialDelaySeconds ${delay} + failureThreshold ${threshold} × periodSeconds ${period})`;
  const fromLog = startupFromLogs(ctx);
  const fromSibling = fromLog ? null : startupFromSiblings(ctx);
  const needed = fromLog?.seconds ?? fromSibling?.seconds ?? null;
  const neededFrom = fromLog ? `log: ${fromLog.line}` : fromSibling ? `pod ${fromSibling.pod} became Ready ${Math.round(fromSibling.seconds)}s after its container started` : null;
  const suggestedInitialDelay = needed === null ? null
    : Math.max(PROBE_DEFAULTS.initialDelaySeconds, Math.ceil((needed * 1.2) / 10) * 10);
  return { kind, budget, budgetText, needed, neededFrom, suggestedInitialDelay };
}
