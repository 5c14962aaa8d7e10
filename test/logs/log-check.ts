/** Checks on log file contents written by the write-lines fixture. */
import { expect } from 'vitest'

const LINE = /^(\S+) (out|err) (\d+) x{80}$/

/**
 * Every line of `lines` (as `strip` leaves it) is a fixture line, and per
 * writer and stream the sequence numbers run first..first+n-1 in order:
 * nothing lost, duplicated or reordered. Returns the count per writer:stream.
 */
export function expectSequences(lines: readonly string[], strip: (line: string) => string = (line) => line): Map<string, number> {
  const next = new Map<string, number>()
  const first = new Map<string, number>()
  for (const raw of lines) {
    const line = strip(raw)
    const match = LINE.exec(line)
    if (!match) throw new Error(`Not a fixture line: ${JSON.stringify(raw.slice(0, 200))}`)
    const key = `${match[1]}:${match[2]}`
    const seq = Number(match[3])
    if (!next.has(key)) first.set(key, seq)
    const expected = next.get(key) ?? seq
    if (seq !== expected) throw new Error(`${key}: expected sequence ${expected}, got ${seq}`)
    next.set(key, seq + 1)
  }
  const counts = new Map<string, number>()
  for (const [key, end] of next) counts.set(key, end - first.get(key)!)
  return counts
}

/** The lines of a file's text, which must end with a newline. */
export function linesOf(text: string): string[] {
  expect(text.endsWith('\n') || text === '').toBe(true)
  const lines = text.split('\n')
  lines.pop()
  return lines
}
