/** Edit distance (insert, delete, substitute, and swap of neighbours: the usual typos). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The names closest to `name` (at most `max`, in name order): those that start with it (a
 * Deployment's name typed for one of its pods), else those with the fewest typos, within a
 * quarter of its length. Only the best tie is kept: one typo away beats a sibling pod.
 */
export function nearestNames(name: string, candidates: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 4));
  const scored = [...new Set(candidates)]
    .filter((c) => c !== name)
    .map((c) => ({ c, score: c.startsWith(name) || name.startsWith(c) ? 0 : editDistance(name, c) }))
    .filter((x) => x.score <= limit);
  const best = Math.min(...scored.map((x) => x.score));
  return scored.filter((x) => x.score === best).map((x) => x.c).sort().slice(0, max);
}

/** "did you mean X?" for a name not found, or null when nothing is close. */
export function didYouMean(name: string, candidates: readonly string[], spell: (n: string) => string = (n) => n): string | null {
  const near = nearestNames(name, candidates).map(spell);
  return near.length === 0 ? null : near.length === 1 ? `did you mean ${near[0]}?` : `did you mean one of: ${near.join(', ')}?`;
}
