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
 * The names closest to `name`, best first (at most `max`): a name that starts with it (a
 * Deployment's name typed for one of its pods) or is within a few typos of it.
 */
export function nearestNames(name: string, candidates: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 4));
  return [...new Set(candidates)]
    .filter((c) => c !== name)
    .map((c) => ({ c, score: c.startsWith(name) || name.startsWith(c) ? 0.5 : editDistance(name, c) }))
    .filter((x) => x.score <= limit)
    .sort((x, y) => x.score - y.score || x.c.localeCompare(y.c))
    .slice(0, max)
    .map((x) => x.c);
}

/** "did you mean X?" for a name not found, or null when nothing is close. */
export function didYouMean(name: string, candidates: readonly string[], spell: (n: string) => string = (n) => n): string | null {
  const near = nearestNames(name, candidates).map(spell);
  return near.length === 0 ? null : near.length === 1 ? `did you mean ${near[0]}?` : `did you mean one of: ${near.join(', ')}?`;
}
