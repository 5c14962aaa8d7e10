/** Health probes as a spec declares them, normalized, and what they found (see src/health/). */
import type { Duration } from '../types.js'

/** What one probe checks: an HTTP GET, a TCP connect, a command's exit code, or a line of output. */
export type ProbeCheckSpec =
  | {
      readonly http: {
        readonly path?: string
        readonly port?: number
        readonly host?: string
        readonly expectStatus?: number | readonly number[]
      }
    }
  | { readonly tcp: { readonly port?: number; readonly host?: string } }
  | { readonly exec: { readonly command: string; readonly args?: readonly string[] } }
  /** Passes once a line of stdout or stderr matches (startup and readiness only). */
  | { readonly logLine: string | RegExp }

/** One probe with its timing; defaults as Kubernetes: interval 10 s, timeout 1 s, failureThreshold 3, successThreshold 1. */
export type ProbeSpec = ProbeCheckSpec & {
  /** Wait before the first check. @default 0 */
  readonly initialDelay?: Duration
  /** @default '10s' */
  readonly interval?: Duration
  /** A check that takes longer fails. @default '1s' */
  readonly timeout?: Duration
  /** Consecutive failures that make the probe fail. @default 3 */
  readonly failureThreshold?: number
  /** Consecutive successes that make it pass again (readiness only; 1 for the others). @default 1 */
  readonly successThreshold?: number
}

export interface ProbesSpec {
  /** Gates the others; failing it stops the instance as an unstable start (then the restart policy decides). */
  readonly startup?: ProbeSpec
  /** The instance is `online` only once it passes; a later failure keeps it running with `health.ready: false`. */
  readonly readiness?: ProbeSpec
  /** `failureThreshold` consecutive failures restart the instance with reason `unhealthy`. */
  readonly liveness?: ProbeSpec
}

/** A probe's check after validation. */
export type NormalizedProbeCheck =
  | {
      readonly kind: 'http'
      readonly host: string
      readonly port: number | null
      readonly path: string
      readonly expectStatus: readonly number[] | null
    }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number | null }
  | { readonly kind: 'exec'; readonly command: string; readonly args: readonly string[] }
  | { readonly kind: 'logLine'; readonly pattern: RegExp }

export interface NormalizedProbe {
  readonly check: NormalizedProbeCheck
  readonly initialDelay: number
  readonly interval: number
  readonly timeout: number
  readonly failureThreshold: number
  readonly successThreshold: number
}

export interface NormalizedProbes {
  readonly startup: NormalizedProbe | null
  readonly readiness: NormalizedProbe | null
  readonly liveness: NormalizedProbe | null
}

/** What the probes of a process last found (`ProcessInfo.health`, on apps with probes). */
export interface ProcessHealth {
  readonly status: 'unknown' | 'healthy' | 'unhealthy'
  /** Passed its readiness probe (and is not failing it since); true without a readiness probe once started. */
  readonly ready: boolean
  /** The largest run of consecutive failures among the probes now running. */
  readonly consecutiveFailures: number
  /** ms since the epoch of the last check, or null before the first. */
  readonly lastCheckAt: number | null
  /** Why the last failed check failed, or null. */
  readonly lastError: string | null
}
