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
   * How the fix `why` proposes begins: a plugin command (`kubectl dhakacart fix oom`), a kubectl
   * repair of something else (`kubectl scale deployment/e2e-postgres`), `manual` (a step for a
   * human, written as a comment, with the kubectl that does it), or null (none).
   */
  fix: string | 'manual' | null;
  /**
   * Run the proposed fix (a plugin command with --yes; a kubectl repair, then the rollout of
   * what it changed) and expect the workload healthy afterwards.
   */
  recovers: boolean;
  /** A plugin command run after a kubectl repair, that brings the workload itself back (with --yes). */
  then?: string[];
}

export const CASES: Case[] = [
  { workload: 'e2e-oom', cause: 'oom', fix: 'kubectl dhakacart fix oom', recovers: true },
  // The log names the missing setting: a configuration failure, which a human must supply.
  { workload: 'e2e-crash', cause: 'config', fix: null, recovers: false },
  { workload: 'e2e-probe-port', cause: 'probe', fix: 'kubectl dhakacart fix probe', recovers: true },
  { workload: 'e2e-image', cause: 'image', fix: 'kubectl dhakacart fix image', recovers: true },
  // The broken link is the database (0 replicas): scale it, then fix db restarts the backend.
  { workload: 'e2e-db-backend', cause: 'db', fix: 'kubectl scale deployment/e2e-postgres', recovers: true, then: ['fix', 'db', 'deployment/e2e-db-backend'] },
  { workload: 'e2e-secret-key', cause: 'config', fix: 'manual', recovers: false },
  // `fix probe` relaxes the liveness probe only; here the startup probe kills the container, so
  // the proposed fix is not run (it could not bring the workload back: a known gap, reported).
  { workload: 'e2e-slow-start', cause: 'probe', fix: 'kubectl dhakacart fix probe', recovers: false },
  { workload: 'e2e-unschedulable', cause: 'unschedulable', fix: 'manual', recovers: false },
];
