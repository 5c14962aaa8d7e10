/** Small helpers shared by benchmark scenarios: stats, timing, result rows. */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { readdirSync, readFileSync } from 'node:fs'

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
  /** The same measurement of another supervisor in the same run (`--compare pm2`); ratio is tend / other. */
  readonly versus?: {
    readonly label: string
    readonly median: number
    readonly min: number
    readonly max: number
    readonly ratio: number | null
  }
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

/** One run's measurements of one contender, by metric key. */
export type Sample = Record<string, number>

/**
 * Runs `measure` `runs` times for each contender, interleaved (tend, PM2,
 * tend, PM2, …) so the noise of a shared machine falls on both alike.
 * Returns each contender's samples by its label.
 */
export async function interleave<C extends { readonly label: string }>(
  contenders: readonly C[],
  runs: number,
  measure: (contender: C, run: number) => Promise<Sample>,
): Promise<Map<string, Sample[]>> {
  const results = new Map<string, Sample[]>(contenders.map((c) => [c.label, []]))
  for (let run = 0; run < runs; run++) {
    for (const contender of contenders) results.get(contender.label)!.push(await measure(contender, run))
  }
  return results
}

/** A figure of tend's samples for `key`, with the other contender's (PM2's) beside it when it ran. */
export function paired(
  results: Map<string, Sample[]>,
  key: string,
  scenario: string,
  metric: string,
  unit: string,
  extra: Partial<Figure> = {},
): Figure {
  const ours = (results.get('tend') ?? []).map((sample) => sample[key]!)
  const fig = figure(scenario, metric, unit, ours, extra)
  for (const [label, samples] of results) {
    if (label === 'tend') continue
    const theirs = stats(samples.map((sample) => sample[key]!))
    return { ...fig, versus: { label, median: theirs.median, min: theirs.min, max: theirs.max, ratio: ratio(fig.median, theirs.median) } }
  }
  return fig
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * CPU time a process has run so far, all its threads (node's libuv pool does
 * the file reads of a metrics sampler), in ms to the nanosecond: the sum of
 * /proc/<pid>/task/<tid>/schedstat (Linux).
 */
export function cpuMsOf(pid: number): number {
  let ns = 0
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return ns / 1e6
}

/** Whether a pid is alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** ours / theirs to 3 digits; null when theirs is 0 (a count of failures, say), where a ratio says nothing. */
export function ratio(ours: number, theirs: number): number | null {
  if (theirs === 0) return ours === 0 ? 1 : null
  return round(ours / theirs, 3)
}

/**
 * The lowest port the system hands to outgoing connections (Linux's
 * ip_local_port_range; elsewhere the IANA range 49152–65535).
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
    if (Number.isInteger(low) && low > 2048) return low
  } catch {
    // not Linux
  }
  return 49152
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

/**
 * A free TCP port on loopback, or the first of `count` free consecutive ports
 * (for an app whose instances take PORT + index). Taken below the ephemeral
 * range, never from bind(0): Linux gives bind(0) odd ports and connect()
 * even ones first, so the port after a bind(0) port is where outgoing
 * connections (a load generator's, another test's) leave TIME_WAIT sockets,
 * and a listen there fails with EADDRINUSE for the next 60 s; under heavy
 * connection churn the odd port itself can be one. No connect() is ever
 * given a port below the range, so a port found free there stays free.
 */
export async function freePort(count = 1): Promise<number> {
  const low = 10_000
  const high = Math.min(ephemeralLow(), 65_536) - count
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = low + Math.floor(Math.random() * (high - low))
    let free = true
    for (let k = 0; k < count && free; k++) free = await canListen(base + k)
    if (free) return base
  }
  throw new Error(`no ${count} free consecutive port(s) on 127.0.0.1 between ${low} and ${high + count}`)
}

/** mulberry32: a small seeded PRNG, so a randomized run can be replayed from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Bundles a bench host (TypeScript importing src/) into one ES module the way
 * tsup builds dist, and returns its path. Memory is measured on that, not under
 * tsx: tsx keeps every function's name with Object.defineProperty, which puts
 * each closure in dictionary mode (~250 bytes more each), a cost dist does not have.
 */
export async function bundled(entry: string): Promise<string> {
  const { build } = await import('esbuild')
  const root = new URL('..', import.meta.url).pathname
  const outfile = `${root}node_modules/.cache/tend-bench/${entry.split('/').at(-1)!.replace(/\.ts$/, '.mjs')}`
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external' })
  return outfile
}
