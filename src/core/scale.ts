/** How scale() counts: `4`, `'4'`, `'+2'` or `'-2'`, and the number of processes that makes. */
import { InvalidArgumentError } from '../errors.js'

export interface ScaleCount {
  /** True for `'+n'` / `'-n'`: a change from the current number. */
  readonly relative: boolean
  readonly value: number
}

export function parseScale(count: unknown): ScaleCount {
  if (typeof count === 'number' && Number.isInteger(count) && count >= 0) return { relative: false, value: count }
  if (typeof count === 'string') {
    const match = /^\s*([+-]?)(\d+)\s*$/.exec(count)
    if (match) return { relative: match[1] !== '', value: match[1] === '-' ? -Number(match[2]) : Number(match[2]) }
  }
  throw new InvalidArgumentError('count', `Expected a number of processes (4) or a change ('+2', '-1'), got ${JSON.stringify(count)}`)
}

/** The number of processes `count` asks for, from `current`; throws InvalidArgumentError below zero. */
export function scaledCount(name: string, current: number, count: ScaleCount): number {
  const wanted = count.relative ? current + count.value : count.value
  if (!Number.isInteger(wanted) || wanted < 0) {
    throw new InvalidArgumentError('count', `Cannot scale "${name}" from ${current} to ${wanted} processes`)
  }
  return wanted
}
