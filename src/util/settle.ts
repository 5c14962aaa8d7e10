import { InvalidArgumentError } from '../errors.js'

/** Waits for every promise, then rejects with the first failure (so nothing is left running unobserved). */
export async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises)
  const failed = results.find((result) => result.status === 'rejected')
  if (failed) throw failed.reason
}

/** A scale count: `4`, `'4'`, `'+2'` or `'-2'`. */
export function parseScale(count: number | string): { relative: boolean; value: number } {
  if (typeof count === 'number' && Number.isInteger(count) && count >= 0) return { relative: false, value: count }
  if (typeof count === 'string') {
    const match = /^\s*([+-]?)(\d+)\s*$/.exec(count)
    if (match) return { relative: match[1] !== '', value: match[1] === '-' ? -Number(match[2]) : Number(match[2]) }
  }
  throw new InvalidArgumentError('count', `Expected a number of processes (4) or a change ('+2', '-1'), got ${JSON.stringify(count)}`)
}
