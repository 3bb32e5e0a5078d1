// What the plugin must conclude of each workload in test/e2e/manifests, the same on the
// simulator and on a real cluster. Only meaning is asserted (the cause, which fix, whether the
// fix brings the workload back), never the wording: event texts, timings and field presence
// differ between the two. The simulator never reads this file: it makes the workloads fail
// from their manifests alone (test/sim/manifests.ts).

export type Cause = 'oom' | 'probe' | 'image' | 'db' | 'config' | 'crash' | 'unschedulable';

export interface Case {
  /** The Deployment that fails. */
  workload: string;
  cause: Cause;
  /**
   * The fix `why` proposes: a plugin command (`fix oom`: its `fix.command` starts with
   * `kubectl dhakacart fix oom`), `manual` (a step for a human, written as a comment, with the
   * kubectl that does it), or null (none).
   */
  fix: string | 'manual' | null;
  /** kubectl arguments run before the fix, for a repair that is not the workload's own (`-n NS` is added). */
  repair?: string[][];
  /** Run the proposed fix with --yes and expect the workload verified healthy afterwards. */
  recovers: boolean;
}

export const CASES: Case[] = [
  { workload: 'e2e-oom', cause: 'oom', fix: 'fix oom', recovers: true },
  { workload: 'e2e-crash', cause: 'crash', fix: null, recovers: false },
  { workload: 'e2e-probe-port', cause: 'probe', fix: 'fix probe', recovers: true },
  { workload: 'e2e-image', cause: 'image', fix: 'fix image', recovers: true },
  {
    workload: 'e2e-db-backend', cause: 'db', fix: 'fix db', recovers: true,
    repair: [['scale', 'deployment/e2e-postgres', '--replicas=1'], ['rollout', 'status', 'deployment/e2e-postgres', '--timeout=180s']],
  },
  { workload: 'e2e-secret-key', cause: 'config', fix: 'manual', recovers: false },
  // `fix probe` relaxes the liveness probe only; here the startup probe kills the container, so
  // the proposed fix is not run (it could not bring the workload back: a known gap, reported).
  { workload: 'e2e-slow-start', cause: 'probe', fix: 'fix probe', recovers: false },
  { workload: 'e2e-unschedulable', cause: 'unschedulable', fix: 'manual', recovers: false },
];
