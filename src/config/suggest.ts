/** "Did you mean" hints for unknown option names. */

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
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
  return bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined
}
