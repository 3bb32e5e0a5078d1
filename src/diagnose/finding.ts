import type { FailureCause } from './causes';
import type { Evidence, Fix } from './diagnosis';
import type { FixKit } from './fixKit';

export type { FailureCause };

/** What a rule finds and the ranking orders; built by a cause module (causes/cause.ts). */
export interface Finding<C extends string = FailureCause> {
  cause: C;
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
  /** What the infrastructure team must hear when this finding is the verdict (a full volume, no node with room). */
  infra?: string[];
  /** The cause's own fix for this finding; null when no plan can be made. */
  remedy(kit: FixKit): Fix | null;
}
