import type { FailureCause } from './causes';
import type { EscalationReason, Team } from './escalate';

/** The contract's `why` JSON for one pod (CONTRACT.md): a rule's cause, or an outcome no rule names. */
export type Cause = FailureCause | 'stopped' | 'healthy' | 'unknown';
export type Confidence = 'confirmed' | 'likely' | 'unknown';
export type EvidenceSource = 'status' | 'event' | 'log' | 'spec' | 'node' | 'deployment' | 'service' | 'secret';

import type { LogExcerpt } from './logLines';
import type { NotLookedAt } from './unread';

export interface Evidence { source: EvidenceSource; detail: string; at: string | null }
export interface Fix { command: string; kubectl: string[] }

export interface Diagnosis {
  pod: string;
  namespace: string;
  container: string | null;
  cause: Cause;
  confidence: Confidence;
  summary: string;
  evidence: Evidence[];
  fix: Fix | null;
  escalate: string | null;
  /** The conditions behind `escalate`, each with the team it is for; not in the contract's JSON. */
  escalations?: EscalationReason[];
  /** Who to call, with their contacts: set by the command (escalation/) once the contacts are read. */
  escalation?: Handover | null;
  /**
   * Addition to the contract: the workload the pod belongs to (`deployment/NAME`,
   * `statefulset/NAME`), null for a bare pod. Grouping and fixes key on it.
   */
  owner?: string | null;
  /** What could not be read that concerns this pod (forbidden, timed out, server error...). */
  notLookedAt: NotLookedAt[];
  /**
   * The focused container's error lines (or plain tail) as the table shows them, already
   * sanitized; not part of the contract's JSON (`contractView` leaves it out).
   */
  log?: LogExcerpt | null;
}

/**
 * The contract's `escalation` (reason, team, contacts): the team that acts first, its reasons
 * and its configured contacts. `from` (where they were read) and `unread` (why none could be)
 * are for the line the table prints, not the JSON.
 */
export interface Handover { reason: string; team: Team; contacts: string[]; from: string | null; unread?: string }

export type ContractHandover = Pick<Handover, 'reason' | 'team' | 'contacts'>;
export type ContractDiagnosis = Omit<Diagnosis, 'log' | 'escalations' | 'escalation'> & { escalation: ContractHandover | null };

/** The diagnosis as the contract's JSON has it. */
export function contractView({ log: _log, escalations: _reasons, escalation, ...d }: Diagnosis): ContractDiagnosis {
  return { ...d, escalation: escalation ? { reason: escalation.reason, team: escalation.team, contacts: escalation.contacts } : null };
}
