import type { Cause, Evidence } from './diagnosis';

/**
 * A failure cause a rule can name; `healthy` and `unknown` are outcomes of the ranking, not
 * rules, and `stopped` is said of a workload with no pod (diagnose/workload.ts).
 */
export type FailureCause = Exclude<Cause, 'healthy' | 'unknown' | 'stopped'>;

/** What the fix builder needs to know beyond the cause; set by the rule that knows it. */
export type FixHint =
  /** port/path: where the probe should point instead (probe analysis); then the timing is not the problem. `wrongPath`: a 404 with no path known to answer. */
  | { kind: 'probe'; initialDelaySeconds: number | null; liveness: boolean; port?: number | null; path?: string | null; wrongPath?: boolean }
  | { kind: 'image'; missingPullSecrets: string[]; registryReason: string | null }
  | { kind: 'config'; missing: MissingReference | null }
  /** usage: what the kubelet says the container used when it chose the pod to evict (`was using 600Mi`). */
  | { kind: 'evicted'; resource: string | null; usage: string | null }
  /** repair: the command that mends the dependency path's first broken link (dependencyPath.ts), when one does. */
  | { kind: 'db' | 'dependency'; checks: string[]; repair: { command: string; kubectl: string[] } | null }
  /** The log says the disk is full; claims: the PVCs the container writes to, with the size they were created with. */
  | { kind: 'disk'; claims: { claim: string; size: string | null }[] }
  /** The scale-back to the replica count that fitted (unschedulable after a scale-up). */
  | { kind: 'unschedulable'; fix: { command: string; kubectl: string[] } };

export interface MissingReference { kind: 'Secret' | 'ConfigMap'; name: string; key: string | null }

export interface Finding {
  cause: FailureCause;
  confidence: 'confirmed' | 'likely';
  summary: string;
  evidence: Evidence[];
  /**
   * Overrides the rank its confidence gives. `strong`: a db finding backed by facts (no
   * Service, no ready endpoints, the database's own error) ranks with confirmed findings
   * although the link to the crash stays inferred; the probe then fails *because* of the
   * database. `weak`: a readiness failure is a fact but a symptom, below any inferred cause.
   */
  rank?: 'strong' | 'weak';
  hint?: FixHint;
}
