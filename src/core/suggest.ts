/**
 * The known names nearest to a misspelt one, for "did you mean" hints: edit distance at most a third of the name's
 * length (at least 2; 1 for names of 4 letters or fewer), or a known name containing it (or contained in it),
 * nearest first, at most `max`.
 *
 * @example
 * nearestNames('no_primary_kye', ['no_primary_key', 'duplicate_index']); // ['no_primary_key']
 */
export function nearestNames(name: string, known: readonly string[], max = 3): string[] {
  const n = name.toLowerCase();
  const limit = n.length <= 4 ? 1 : Math.max(2, Math.floor(n.length / 3));
  return known
    .map((k) => {
      const d = distance(n, k.toLowerCase());
      const contains = n.length >= 3 && (k.toLowerCase().includes(n) || n.includes(k.toLowerCase()));
      return { k, d: d <= limit ? d : contains ? limit + 1 : Infinity };
    })
    .filter((x) => x.d !== Infinity)
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, max)
    .map((x) => x.k);
}

/** `; did you mean a, b?` or nothing. */
export function didYouMean(name: string, known: readonly string[]): string {
  const near = nearestNames(name, known);
  return near.length ? `; did you mean ${near.join(', ')}?` : '';
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function distance(a: string, b: string): number {
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
