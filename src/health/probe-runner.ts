/**
 * The probes of one child (one Run): startup first, then readiness and
 * liveness side by side, each on the ticks of its interval (untilNextTick)
 * with Kubernetes' thresholds.
 * The waits hang off the run's AbortSignal, and its end closes the HTTP
 * connections and kills a command in flight (a TCP connect ends within its
 * timeout), so nothing outlives the child for long. What it finds goes out as a ProcessHealth on every change of
 * status or readiness; a failed startup or liveness probe is reported once,
 * and the process decides (it stops the child, then the restart policy).
 */
import { Agent } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Readable } from 'node:stream'
import type { NormalizedProbe, NormalizedProbes, ProcessHealth } from '../types.js'
import { runCheck, type ProbeTarget } from './probe-check.js'

export type ProbeKind = 'startup' | 'readiness' | 'liveness'

export interface ProbeHooks {
  /** The status or readiness changed. */
  onChange(health: ProcessHealth): void
  /** A startup or liveness probe failed `failureThreshold` times in a row; the probes have stopped. */
  onFailed(kind: 'startup' | 'liveness', error: string): void
}

/** How many lines of output a logLine probe remembers, so a line printed before the first check counts. */
const REMEMBERED_LINES = 200

export class ProbeRunner {
  /** Resolves once the startup probe (if any) and the readiness probe (if any) have passed. */
  readonly ready: Promise<void>
  /** True when a startup or readiness probe decides when the child is ready. */
  readonly gates: boolean
  /** The longest a gating probe may take to decide (ms): initialDelay + interval × failureThreshold + timeout, per gate. */
  readonly bound: number
  readonly #probes: NormalizedProbes
  readonly #target: ProbeTarget
  readonly #signal: AbortSignal
  readonly #hooks: ProbeHooks
  readonly #failures: Record<ProbeKind, number> = { startup: 0, readiness: 0, liveness: 0 }
  readonly #lines: string[] = []
  #health: ProcessHealth = { status: 'unknown', ready: false, consecutiveFailures: 0, lastCheckAt: null, lastError: null }
  #markReady: () => void = () => undefined
  #started = false
  #readyOnce = false
  /** Set while a logLine probe waits for its next check: new lines of output end the wait early. */
  #onLines: ((lines: readonly string[]) => void) | null = null

  constructor(probes: NormalizedProbes, target: Omit<ProbeTarget, 'sawLine'>, signal: AbortSignal, hooks: ProbeHooks) {
    this.#probes = probes
    const http = [probes.startup, probes.readiness, probes.liveness].some((probe) => probe?.check.kind === 'http')
    // HTTP checks reuse their connections (keep-alive) instead of a connect and a close every interval; gone with the child
    const agent = http ? new Agent({ keepAlive: true, maxSockets: 3 }) : undefined
    if (agent) signal.addEventListener('abort', () => agent.destroy(), { once: true })
    this.#target = { ...target, agent, sawLine: (pattern) => this.#lines.some((line) => pattern.test(line)) }
    this.#signal = signal
    this.#hooks = hooks
    this.gates = probes.startup !== null || probes.readiness !== null
    this.bound = [probes.startup, probes.readiness].reduce((sum, probe) => sum + (probe ? decisionTime(probe) : 0), 0)
    this.ready = new Promise((resolve) => (this.#markReady = resolve))
  }

  get health(): ProcessHealth {
    return this.#health
  }

  /** Feeds a logLine probe from the child's stdout and stderr (whoever else reads them). */
  watchOutput(streams: readonly (Readable | null)[]): void {
    const { startup, readiness } = this.#probes
    if (startup?.check.kind !== 'logLine' && readiness?.check.kind !== 'logLine') return
    for (const stream of streams) {
      if (!stream) continue
      let partial = ''
      stream.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString('utf8')).split('\n')
        partial = lines.pop() ?? ''
        if (partial.length > 64 * 1024) partial = partial.slice(-64 * 1024)
        this.#lines.push(...lines)
        if (this.#lines.length > REMEMBERED_LINES) this.#lines.splice(0, this.#lines.length - REMEMBERED_LINES)
        if (lines.length > 0) this.#onLines?.(lines)
      })
    }
  }

  /** Begins probing (once). */
  start(): void {
    if (this.#started) return
    this.#started = true
    void this.#run()
  }

  async #run(): Promise<void> {
    const { startup, readiness, liveness } = this.#probes
    if (startup && !(await this.#loop('startup', startup))) return
    if (!readiness) this.#setReady(true)
    await Promise.all([readiness && this.#loop('readiness', readiness), liveness && this.#loop('liveness', liveness)])
  }

  /**
   * Checks after `initialDelay`, then on every tick of `interval`; resolves true when a startup probe passed,
   * false when a probe gave up or the child exited.
   */
  async #loop(kind: ProbeKind, probe: NormalizedProbe): Promise<boolean> {
    let successes = 0
    if (!(await this.#sleep(probe.initialDelay))) return false
    for (;;) {
      const error = await this.#check(probe)
      if (this.#signal.aborted) return false
      if (error === null) {
        successes++
        this.#failures[kind] = 0
        if (kind === 'startup') {
          this.#update({ status: 'healthy' })
          return true
        }
        if (successes >= probe.successThreshold) {
          if (kind === 'readiness') this.#setReady(true, 'healthy')
          else this.#update({ status: 'healthy' })
        } else this.#update({})
      } else {
        successes = 0
        const failures = ++this.#failures[kind]
        const failed = failures >= probe.failureThreshold
        this.#update({ lastError: `${kind}: ${error}`, ...(failed && kind !== 'readiness' ? { status: 'unhealthy' } : {}) })
        if (failed && kind === 'readiness') this.#setReady(false)
        if (failed && kind !== 'readiness') {
          this.#hooks.onFailed(kind, error)
          return false
        }
      }
      const next = untilNextTick(probe.interval)
      const { check } = probe
      if (!(await (check.kind === 'logLine' ? this.#sleepUntilLine(next, check.pattern) : this.#sleep(next)))) return false
    }
  }

  /**
   * Sleeps `ms`, or less when a line matching `pattern` comes: a logLine
   * probe passes as the line is printed, not at its next interval.
   */
  async #sleepUntilLine(ms: number, pattern: RegExp): Promise<boolean> {
    const woken = new AbortController()
    const wake = (): void => woken.abort()
    this.#signal.addEventListener('abort', wake, { once: true })
    this.#onLines = (lines) => {
      if (lines.some((line) => pattern.test(line))) wake()
    }
    try {
      await sleep(ms, undefined, { signal: woken.signal })
    } catch {
      // a matching line (or the child's end) came first
    } finally {
      this.#onLines = null
      this.#signal.removeEventListener('abort', wake)
    }
    return !this.#signal.aborted
  }

  /** One check bounded by the probe's timeout; null when it passed, else why not. */
  async #check(probe: NormalizedProbe): Promise<string | null> {
    try {
      await runCheck(probe.check, this.#target, probe.timeout, this.#signal)
      return null
    } catch (error) {
      return (error as Error).message
    }
  }

  async #sleep(ms: number): Promise<boolean> {
    if (ms <= 0) return !this.#signal.aborted
    try {
      await sleep(ms, undefined, { signal: this.#signal })
      return true
    } catch {
      return false
    }
  }

  #setReady(ready: boolean, status?: ProcessHealth['status']): void {
    if (ready && !this.#readyOnce) {
      this.#readyOnce = true
      this.#markReady()
    }
    this.#update(status ? { ready, status } : { ready })
  }

  #update(change: Partial<Pick<ProcessHealth, 'status' | 'ready' | 'lastError'>>): void {
    const before = this.#health
    const consecutiveFailures = Math.max(this.#failures.startup, this.#failures.readiness, this.#failures.liveness)
    this.#health = Object.freeze({ ...before, ...change, consecutiveFailures, lastCheckAt: Date.now() })
    if (before.status !== this.#health.status || before.ready !== this.#health.ready) this.#hooks.onChange(this.#health)
  }
}

/**
 * How long until the next tick of a probe interval: multiples of `interval` on
 * this process's monotonic clock. Every probe with the same interval, in
 * every app, checks in the same turn of the event loop: one timer wake-up
 * for all of them instead of one each (on a loaded machine the wake-ups cost
 * more than the checks). A check that ends after a tick waits for the next,
 * so checks of one probe never overlap, and a liveness probe whose checks
 * take less than `interval` fails within `interval × failureThreshold +
 * timeout` of the app hanging: Kubernetes' bound.
 */
export function untilNextTick(interval: number, now = performance.now()): number {
  return interval - (now % interval)
}

/** How long a probe may take to decide that it fails: Kubernetes' bound. */
export function decisionTime(probe: NormalizedProbe): number {
  return probe.initialDelay + probe.interval * probe.failureThreshold + probe.timeout
}
