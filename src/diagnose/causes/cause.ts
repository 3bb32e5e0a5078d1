import type { Piece } from '../../cluster/snapshot';
import type { RuleContext } from '../context';
import type { Fix } from '../diagnosis';
import type { Finding } from '../finding';
import type { FixKit } from '../fixKit';

/** What a rule finds before it is bound to its fix: the finding and what that fix needs to know (`hint`). */
export type Found<C extends string, H> = Omit<Finding<C>, 'remedy'> & { hint?: H };

/** A piece of evidence (one object when key is given) and the strongest finding it could give a rule. */
export interface Dependency { piece: Piece; key?: string; could: Pick<Finding, 'confidence' | 'rank'> }

/**
 * One cause, whole: its rule, what it depends on and its fix. Its place in causes/index.ts
 * is its rank among equals. `dependsOn` names the evidence that, had it been read, could have
 * let the rule say more (a confirmed cause instead of none); the ranking checks those pieces
 * against the snapshot's gaps and caps the verdict by them (rank.ts `rankWithGaps`), so no
 * rule has to reason about failed reads itself.
 */
export interface CauseSpec<C extends string, H> {
  cause: C;
  /** Names the symptom only (crash): any other finding outranks it. */
  symptom?: boolean;
  /** The plugin command that fixes this cause, as a change-cause records it when it was tried (`fix oom`). */
  fixCommand?: string;
  find(ctx: RuleContext): Found<C, H> | null;
  dependsOn(ctx: RuleContext): Dependency[];
  fix(kit: FixKit, f: Found<C, H>): Fix | null;
}

export interface CauseModule<C extends string> {
  cause: C;
  symptom: boolean;
  fixCommand: string | null;
  find(ctx: RuleContext): Finding<C> | null;
  dependsOn(ctx: RuleContext): Dependency[];
}

/** Binds each finding to its cause's fix, so the hint's type stays inside the cause's own file. */
export function defineCause<C extends string, H = never>(spec: CauseSpec<C, H>): CauseModule<C> {
  return {
    cause: spec.cause,
    symptom: spec.symptom ?? false,
    fixCommand: spec.fixCommand ?? null,
    dependsOn: spec.dependsOn,
    find(ctx) {
      const found = spec.find(ctx);
      if (!found) return null;
      const { hint: _hint, ...finding } = found;
      return { ...finding, remedy: (kit) => spec.fix(kit, found) };
    },
  };
}
