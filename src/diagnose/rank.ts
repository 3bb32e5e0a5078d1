import { CAUSES, type FailureCause } from './causes';
import type { Evidence } from './diagnosis';
import type { Finding } from './finding';
import type { Gap } from '../cluster/snapshot';
import { describeGaps } from './unread';

/** Among findings of equal weight, the more specific cause wins: the order of CAUSES. */
const SPECIFICITY: FailureCause[] = CAUSES.map((c) => c.cause);
const SYMPTOMS = new Set<FailureCause>(CAUSES.filter((c) => c.symptom).map((c) => c.cause));

type Ranked = Pick<Finding, 'cause' | 'confidence' | 'rank'>;

/** A cause that only describes the symptom (crash) loses to any other finding. */
function weight(f: Ranked): number {
  if (SYMPTOMS.has(f.cause)) return 0;
  if (f.rank === 'strong') return 2;
  if (f.rank === 'weak') return 1;
  return f.confidence === 'confirmed' ? 2 : 1;
}

const compare = (a: Ranked, b: Ranked) => weight(b) - weight(a) || SPECIFICITY.indexOf(a.cause) - SPECIFICITY.indexOf(b.cause);

/** A finding a rule could have made from evidence that could not be read: `gaps` are those reads. */
export interface Possible extends Ranked { gaps: Gap[] }

export interface Verdict {
  /** The findings, capped by the gaps, best first. */
  findings: Finding[];
  /** What could have ranked above the verdict, had it been read. */
  doubts: Possible[];
  /** A read that failed could have named a different cause stronger than the verdict: the cause cannot be told. */
  cannotTell: boolean;
}

const outranks = (a: Ranked, b: Ranked) => compare(a, b) < 0;

/** confirmed → likely, and a strong db finding ranks as inferred again. */
function weaken(f: Finding): Finding {
  const { rank: r, ...rest } = f;
  return { ...rest, ...(r === 'weak' ? { rank: r } : {}), confidence: 'likely' };
}

/** "Not checked: events (forbidden), which could show probe." */
export function doubtNote(doubts: Possible[]): string {
  if (!doubts.length) return '';
  const gaps = [...new Map(doubts.flatMap((d) => d.gaps).map((g) => [`${g.what}|${g.reason}`, g])).values()];
  const causes = [...new Set(doubts.map((d) => d.cause))];
  return ` Not checked: ${describeGaps(gaps)}, which could show ${causes.join(' or ')}.`;
}

/**
 * Ranking when some evidence could not be read. A finding that a finding of another cause
 * could have outranked, had the missing evidence been there, is capped at likely (so the
 * missing piece never lets a cause stand confirmed that it might have overturned); then the
 * capped findings are ranked as usual. When a missing piece could have given another cause
 * more weight than the verdict had even before capping, the cause cannot be told at all.
 * Absence of evidence that was read (a 404) is a fact and plays no part here.
 */
export function rankWithGaps(findings: Finding[], possible: Possible[]): Verdict {
  const against = (f: Ranked) => possible.filter((p) => p.cause !== f.cause && outranks(p, f));
  const capped = findings.map((f) => (against(f).length ? weaken(f) : f));
  const order = capped.map((f, i) => [f, findings[i]!] as const).sort(([a], [b]) => compare(a, b));
  const top = order[0];
  if (!top) return { findings: [], doubts: possible, cannotTell: false };
  const [, original] = top;
  const doubts = possible.filter((p) => outranks(p, original));
  return {
    findings: order.map(([f]) => f),
    doubts,
    cannotTell: doubts.some((p) => p.cause !== original.cause && weight(p) > weight(original)),
  };
}

/** Most secondary items kept, so the verdict's own evidence is not buried. */
const MAX_SECONDARY = 6;

/** The verdict's evidence, then that of the other findings that also fired, each fact once. */
export function mergeEvidence(primary: Evidence[], secondary: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const keep = (e: Evidence) => !seen.has(`${e.source}|${e.detail}`) && !!seen.add(`${e.source}|${e.detail}`);
  return [...primary.filter(keep), ...secondary.filter(keep).slice(0, MAX_SECONDARY)];
}
