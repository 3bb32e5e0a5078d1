import { PROBE_DEFAULTS } from '../remedy/probe';
import type { Container, Pod, Probe } from '../kube/types';
import type { RuleContext } from './context';
import type { Evidence } from './diagnosis';
import { cleanLine, splitLines } from './logLines';
import { LISTENING } from './logPatterns';
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

/** How the kubelet says the probe failed: nothing answers the port, the app answers with an error status, or too slowly. */
export type ProbeFailure = { kind: 'refused' } | { kind: 'status'; code: number } | { kind: 'timeout' } | { kind: 'other' };

export function probeFailureOf(message: string): ProbeFailure {
  if (/connect: connection refused|\bECONNREFUSED\b/i.test(message)) return { kind: 'refused' };
  const status = /HTTP probe failed with statuscode: (\d{3})/.exec(message);
  if (status) return { kind: 'status', code: Number(status[1]) };
  if (/context deadline exceeded|Client\.Timeout|timeout|timed out/i.test(message)) return { kind: 'timeout' };
  return { kind: 'other' };
}

/** A probe's port as a number: a named port resolves through the container's declared ports. */
export function probePort(p: Probe, c: Container): number | null {
  const port = p.httpGet?.port ?? p.tcpSocket?.port ?? p.grpc?.port;
  if (port === undefined) return null;
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((x) => x.name === port)?.containerPort ?? null;
}

/** The ports the container's logs say it listens on, newest line last, with the line. */
export function listeningPorts(ctx: RuleContext): { port: number; line: string }[] {
  const out: { port: number; line: string }[] = [];
  for (const line of [...splitLines(ctx.logs?.previous.text), ...splitLines(ctx.logs?.current.text)]) {
    for (const l of LISTENING) {
      const m = l.re.exec(line);
      if (m?.[1]) {
        out.push({ port: Number(m[1]), line: cleanLine(line) });
        break;
      }
    }
  }
  return out;
}

/** What a probe aims at that the container does not serve, and what it should aim at instead. */
export interface ProbeMismatch {
  probe: 'livenessProbe' | 'startupProbe' | 'readinessProbe';
  /** The port the app listens on, when the probe's is not it; the path, when the probe's answers 404. */
  port: number | null;
  path: string | null;
  /** Why, in words, for the summary. */
  reason: string;
  evidence: Evidence[];
}

const PROBES = ['livenessProbe', 'startupProbe', 'readinessProbe'] as const;

/**
 * Compares the failing probe's port with what the logs say the app listens on (else the
 * declared container ports) and reads the kubelet's failure text: `connection refused` on a
 * port nothing listens on is a wrong port, `statuscode: 404` a wrong path; a timeout is not a
 * mismatch (the app is there, but slow) and is left to the timing analysis.
 */
export function probeMismatch(ctx: RuleContext, failures: { probe: (typeof PROBES)[number]; message: string }[]): ProbeMismatch | null {
  const c = ctx.focus.spec;
  for (const { probe: which, message } of failures) {
    const p = c[which];
    if (!p) continue;
    const failure = probeFailureOf(message);
    const port = probePort(p, c);
    const heard = listeningPorts(ctx);
    const declared = (c.ports ?? []).map((x) => x.containerPort);
    if (failure.kind === 'refused' && port !== null) {
      const listened = [...new Set(heard.map((h) => h.port))];
      const candidates = listened.length ? listened : declared;
      if (candidates.length === 1 && candidates[0] !== port) {
        const to = candidates[0]!;
        const seen = heard.find((h) => h.port === to);
        return {
          probe: which, port: to, path: null,
          reason: `its ${which} checks port ${port} but the app ${seen ? `listens on ${to}` : `declares only port ${to}`}, so nothing answers the probe (connection refused)`,
          evidence: [
            { source: 'spec', detail: `${which} of ${c.name}: ${describeProbe(p)}${port !== p.httpGet?.port && port !== p.tcpSocket?.port ? ` (port ${port})` : ''}; declared ports: ${declared.join(', ') || 'none'}`, at: null },
            ...(seen ? [{ source: 'log' as const, detail: `listens on ${to}: ${seen.line}`, at: null }] : []),
          ],
        };
      }
    }
    if (failure.kind === 'status' && failure.code === 404 && p.httpGet) {
      const other = PROBES.map((w) => c[w]).find((q) => q?.httpGet && q !== p && q.httpGet.path !== p.httpGet!.path && probePort(q, c) === port);
      const otherFails = other && failures.some((f) => c[f.probe] === other);
      const path = other && !otherFails ? other.httpGet!.path ?? '/' : null;
      return {
        probe: which, port: null, path,
        reason: `its ${which} asks for ${p.httpGet.path ?? '/'} on port ${port ?? p.httpGet.port} and the app answers 404 (no such path)${path ? `; the app answers ${path} (its other probe passes there)` : ''}`,
        evidence: [{ source: 'spec', detail: `${which} of ${c.name}: ${describeProbe(p)}`, at: null }],
      };
    }
  }
  return null;
}
