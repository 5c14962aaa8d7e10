/** Small helpers shared by benchmark scenarios: stats, timing, result rows. */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface Figure {
  readonly scenario: string
  readonly metric: string
  readonly unit: string
  readonly median: number
  readonly min: number
  readonly max: number
  readonly runs: number
  /** What it is compared with, when it is a comparison (measured in the same run). */
  readonly baseline?: { readonly label: string; readonly median: number; readonly ratio: number }
  readonly target?: string
}

export function stats(values: number[]): { median: number; min: number; max: number; runs: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { median: round(median), min: round(sorted[0]!), max: round(sorted.at(-1)!), runs: values.length }
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

export function figure(scenario: string, metric: string, unit: string, values: number[], extra: Partial<Figure> = {}): Figure {
  return { scenario, metric, unit, ...stats(values), ...extra }
}

export function compare(label: string, values: number[], baseline: number[]): Figure['baseline'] {
  const ours = stats(values).median
  const theirs = stats(baseline).median
  return { label, median: theirs, ratio: round(theirs === 0 ? 0 : ours / theirs, 3) }
}

/** Resident set size of a process in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /VmRSS:\s+(\d+) kB/.exec(status)
  return match ? Number(match[1]) * 1024 : Number.NaN
}

/** Spawns `node script` bare and resolves with the ms until its first stdout line, and the child. */
export function bareFirstLine(script: string): Promise<{ ms: number; pid: number; kill: () => Promise<void> }> {
  const started = performance.now()
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.stdout.once('data', () => {
      const ms = performance.now() - started
      resolve({
        ms,
        pid: child.pid!,
        kill: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done())
            child.kill('SIGKILL')
          }),
      })
    })
  })
}

export const MiB = 1024 * 1024
