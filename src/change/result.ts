import type { RecoveryCheck } from '../verify/judge';
import type { Change } from '../remedy/plan';

/** The contract's JSON for fix, rollback and emergency. */
export interface ChangeResult {
  action: string;
  target: string;
  dryRun: boolean;
  changes: Change[];
  /** After a conflict: the new plan, when it differs from the confirmed `changes` and was not applied. */
  replanned?: Change[];
  applied: boolean;
  /** `unknown`: applied, but the rollout could not be followed (the API server stopped answering). */
  rollout: { status: 'complete' | 'failed' | 'timeout' | 'skipped' | 'unknown'; revision: number | null };
  verified: boolean;
  warnings: string[];
  checks: RecoveryCheck[];
  message: string | null;
}

/** A change not even planned, because a precondition failed (fix db: the database path is broken); exit 1. */
export interface Refusal { refused: string; hint: string }

export type ChangeReport = ChangeResult | Refusal;
