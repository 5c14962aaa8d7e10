/** Parsing of sizes (bytes) and durations (ms) as specs write them. */

const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, K: 1024, KB: 1024, M: 1024 ** 2, MB: 1024 ** 2, G: 1024 ** 3, GB: 1024 ** 3 }
const DURATION_UNITS: Record<string, number> = { '': 1, MS: 1, S: 1000, M: 60_000, H: 3_600_000 }

function parseUnit(value: unknown, units: Record<string, number>): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  if (typeof value !== 'string') return undefined
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value)
  if (!match) return undefined
  const factor = units[(match[2] ?? '').toUpperCase()]
  if (factor === undefined) return undefined
  return Math.round(Number(match[1]) * factor)
}

/** `'200M'` → 209715200; a number is bytes. Returns undefined when the value is not a size. */
export function parseSize(value: unknown): number | undefined {
  return parseUnit(value, SIZE_UNITS)
}

/** `'30s'` → 30000; a number is ms. Returns undefined when the value is not a duration. */
export function parseDuration(value: unknown): number | undefined {
  return parseUnit(value, DURATION_UNITS)
}
