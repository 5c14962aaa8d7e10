/** "Did you mean" hints for unknown option names. */

/** Edits between two strings, a swap of neighbours counting as one (optimal string alignment). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[a.length]![b.length]!
}

/**
 * How many edits still read as a typo of a name this long: one for short
 * names (`max` is not a typo of `pmx`), a third of the length for long ones.
 */
function tolerance(length: number): number {
  return length <= 4 ? 1 : Math.max(2, Math.floor(length / 3))
}

/** The closest known name, or undefined when none is close enough to be a typo. */
export function suggest(name: string, known: Iterable<string>): string | undefined {
  const lower = name.toLowerCase().replace(/[_-]/g, '')
  let best: string | undefined
  let bestScore = Infinity
  for (const candidate of known) {
    const score = distance(lower, candidate.toLowerCase().replace(/[_-]/g, ''))
    if (score < bestScore) {
      best = candidate
      bestScore = score
    }
  }
  return bestScore <= tolerance(lower.length) ? best : undefined
}
