import type { Snapshot } from '../cluster/snapshot';
import { contractView, type ContractDiagnosis, type ContractHandover, type Diagnosis } from '../diagnose/diagnosis';
import { groupDiagnoses } from '../diagnose/index';
import { CHANGE_CAUSE_ANNOTATION, revisionOf } from '../kube/deployment';
import { humanDuration } from '../kube/duration';
import { formatBytes, parseQuantity } from '../kube/quantity';
import { ownedReplicaSets } from '../kube/template';
import type { Deployment } from '../kube/types';
import { isPodReady } from '../kube/podState';
import { matchesLabels } from '../kube/selector';
import { preventiveMeasures, type CheckResult, type Measure } from './prevention';
import { buildTimeline, type TimelineEntry } from './timeline';

/** A snapshot `why --save` wrote during the incident, and what it diagnoses. */
export interface SavedSnapshot { file: string; snapshot: Snapshot; diagnoses: Diagnosis[] }

export interface ReportInput {
  /** Read now; `diagnoses` its failing pods (escalation contacts attached). */
  live: Snapshot;
  diagnoses: Diagnosis[];
  saved: SavedSnapshot[];
  sinceMs: number;
  /** `check`'s results, once the report runs it (prevention.ts). */
  checks?: CheckResult[];
}

/** A change the plugin made (its change-cause), and how its revision is doing now. */
export interface Action { at: string | null; target: string; command: string; revision: number | null; outcome: string }

/** Restart counts of one container, snapshot by snapshot. */
export interface RestartTrend { pod: string; container: string; points: { at: string; restarts: number }[]; climbing: boolean }
export interface MemoryTrend { pod: string; container: string; limit: string | null; points: { at: string; usage: string; ofLimit: number | null }[] }

export interface RcaFinding { item: string; finding: string }

export interface Report {
  namespace: string;
  context: string | null;
  generatedAt: string;
  since: string;
  from: string;
  /** Nothing failing now. */
  resolved: boolean;
  /** The failures the report is about: those failing now, else the newest saved snapshot's. */
  diagnoses: ContractDiagnosis[];
  timeline: TimelineEntry[];
  actions: Action[];
  trends: { restarts: RestartTrend[]; memory: MemoryTrend[] | null };
  escalation: ContractHandover | null;
  rootCause: { verdict: string; findings: RcaFinding[] };
  preventiveMeasures: Measure[];
}

const PLUGIN = /^kubectl[- ]dhakacart\b/;

/** When a Deployment last moved to a ReplicaSet: its Progressing condition (a rollback re-uses an old ReplicaSet, whose creation is long past). */
const progressedAt = (d: Deployment) => d.status?.conditions?.find((c) => c.type === 'Progressing')?.lastUpdateTime ?? null;

/** The plugin's changes (its change-causes on Deployments and their ReplicaSets) and their revision's outcome now. */
function actions(live: Snapshot, failing: Diagnosis[]): Action[] {
  const out: Action[] = [];
  for (const d of live.deployments) {
    const target = `deployment/${d.metadata.name}`;
    const current = revisionOf(d);
    const down = failing.filter((x) => x.owner === target).length;
    const want = d.spec.replicas ?? 1;
    const ready = live.pods.filter((p) => isPodReady(p) && matchesLabels(d.spec.selector.matchLabels ?? {}, p.metadata.labels)).length;
    const now = want === 0 ? 'scaled to 0' : down ? `still failing (${down} pod${down === 1 ? '' : 's'})` : `healthy (${ready}/${want} ready)`;
    const seen = new Set<string>();
    for (const rs of ownedReplicaSets(d, live.replicaSets)) {
      const command = rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
      if (!command || !PLUGIN.test(command)) continue;
      const revision = revisionOf(rs);
      const isCurrent = revision !== null && revision === current;
      seen.add(command);
      out.push({ at: isCurrent ? progressedAt(d) ?? rs.metadata.creationTimestamp ?? null : rs.metadata.creationTimestamp ?? null, target, command, revision,
        outcome: isCurrent ? now : `superseded by revision ${current ?? '?'}` });
    }
    // A change that made no new revision (emergency stop/resume, a scale) is on the Deployment only.
    const own = d.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    if (own && PLUGIN.test(own) && !seen.has(own)) out.push({ at: progressedAt(d), target, command: own, revision: current, outcome: now });
  }
  return out.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
}

function restartTrends(snaps: Snapshot[]): RestartTrend[] {
  const series = new Map<string, RestartTrend>();
  for (const s of snaps) {
    for (const p of s.pods) {
      for (const c of p.status?.containerStatuses ?? []) {
        const key = `${p.metadata.name}/${c.name}`;
        const t = series.get(key) ?? { pod: p.metadata.name, container: c.name, points: [], climbing: false };
        t.points.push({ at: s.capturedAt, restarts: c.restartCount });
        series.set(key, t);
      }
    }
  }
  return [...series.values()].filter((t) => t.points.some((p) => p.restarts > 0)).map((t) => {
    const [a, b] = t.points.slice(-2);
    return { ...t, climbing: !!a && !!b && b.restarts > a.restarts };
  });
}

/** Memory use by container at each snapshot that has metrics, against its limit; null when no snapshot has any. */
function memoryTrends(snaps: Snapshot[]): MemoryTrend[] | null {
  const withMetrics = snaps.filter((s) => s.metrics);
  if (!withMetrics.length) return null;
  const series = new Map<string, MemoryTrend>();
  for (const s of withMetrics) {
    for (const m of s.metrics!) {
      const pod = s.pods.find((p) => p.metadata.name === m.metadata.name);
      for (const c of m.containers) {
        const usage = parseQuantity(c.usage.memory ?? '');
        if (usage === null) continue;
        const limitText = pod?.spec.containers.find((x) => x.name === c.name)?.resources?.limits?.memory ?? null;
        const limit = limitText ? parseQuantity(limitText) : null;
        const key = `${m.metadata.name}/${c.name}`;
        const t = series.get(key) ?? { pod: m.metadata.name, container: c.name, limit: limitText, points: [] };
        t.points.push({ at: s.capturedAt, usage: formatBytes(usage), ofLimit: limit ? Math.round((usage / limit) * 100) : null });
        series.set(key, t);
      }
    }
  }
  return [...series.values()];
}

/** The runbook's Root Cause Analysis, each of its four steps answered from what was found. */
function rootCause(main: Diagnosis[], timeline: TimelineEntry[], memory: MemoryTrend[] | null, restarts: RestartTrend[]): Report['rootCause'] {
  const groups = groupDiagnoses(main);
  const verdict = groups.length
    ? groups.map((g) => `${g.cause} (${g.confidence}) on ${g.diagnosis.owner ?? g.pods.join(', ')}: ${g.summary}`).join(' ')
    : 'Nothing failing was found in the window, now or in the snapshots given.';
  const rollouts = timeline.filter((e) => e.kind === 'revision');
  const changes = [...new Set(main.flatMap((d) => d.evidence.filter((e) => e.source === 'deployment' && /revision/.test(e.detail)).map((e) => e.detail)))];
  const high = (memory ?? []).map((t) => ({ t, top: Math.max(...t.points.map((p) => p.ofLimit ?? 0)) })).filter((x) => x.top >= 80);
  const logs = [...new Set(main.map((d) => d.log?.headline?.line ?? d.evidence.find((e) => e.source === 'log')?.detail).filter((l): l is string => !!l))];
  const climbing = restarts.filter((r) => r.climbing);
  return {
    verdict,
    findings: [
      { item: 'Deployment history', finding: rollouts.length ? rollouts.map((e) => `${e.at} ${e.object} ${e.detail}`).join('; ') : 'no rollout in the window' },
      { item: 'Configuration changes', finding: changes.length ? changes.join('; ') : 'no change of revision lines up with the failures' },
      { item: 'Resource usage trends', finding: [
        memory === null ? 'no metrics served (metrics-server), memory not known' : high.length ? high.map((x) => `${x.t.pod}/${x.t.container} reached ${x.top}% of its ${x.t.limit} limit`).join('; ') : 'memory stayed below 80% of every limit',
        climbing.length ? `restarts still climbing: ${climbing.map((r) => `${r.pod}/${r.container}`).join(', ')}` : '',
      ].filter(Boolean).join('; ') },
      { item: 'Application logs', finding: logs.length ? logs.join('; ') : 'no error line in the logs read' },
    ],
  };
}

/**
 * The post-incident report, pure: what was read now and the snapshots saved during the
 * incident in, the report out. Its failures are those failing now; once resolved, those of
 * the newest snapshot that had any.
 */
export function buildReport(input: ReportInput): Report {
  const { live, saved } = input;
  const now = Date.parse(live.capturedAt);
  const from = now - input.sinceMs;
  const failingNow = input.diagnoses.filter((d) => d.cause !== 'healthy');
  const earlier = [...saved].sort((a, b) => a.snapshot.capturedAt.localeCompare(b.snapshot.capturedAt)).reverse()
    .find((x) => x.diagnoses.some((d) => d.cause !== 'healthy'))?.diagnoses.filter((d) => d.cause !== 'healthy') ?? [];
  const main = failingNow.length ? failingNow : earlier;
  const snaps = [...saved.map((x) => x.snapshot).filter((s) => Date.parse(s.capturedAt) >= from), live].sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
  const timeline = buildTimeline(live, saved, from);
  const restarts = restartTrends(snaps);
  const memory = memoryTrends(snaps);
  const handover = failingNow.map((d) => d.escalation).find((h) => h) ?? null;
  return {
    namespace: live.namespace,
    context: live.context,
    generatedAt: live.capturedAt,
    since: input.sinceMs % 3_600_000 === 0 ? `${input.sinceMs / 3_600_000}h` : humanDuration(input.sinceMs),
    from: new Date(from).toISOString(),
    resolved: failingNow.length === 0,
    diagnoses: main.map(contractView),
    timeline,
    actions: actions(live, failingNow),
    trends: { restarts, memory },
    escalation: handover && { reason: handover.reason, team: handover.team, contacts: handover.contacts },
    rootCause: rootCause(main, timeline, memory, restarts),
    preventiveMeasures: preventiveMeasures(main, input.checks),
  };
}
