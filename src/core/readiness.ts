/**
 * When a new child counts as ready, that is online: the one rule for a
 * first start, a restart and a reload's replacement alike (docs/readiness.md).
 *
 * The signal: with `waitReady`, the `'ready'` IPC message; otherwise the
 * runner's own notion (fork: spawned; cluster: listening; fork with
 * `listen`: listening on a held socket, see src/sockets/readiness.ts).
 * Within `listenTimeout` of the spawn, the signal makes the child online,
 * confirmed ready. Without it, what happens depends on whether this process
 * has ever been confirmed ready (holdsToReadiness()):
 * - never (a first start, or an app that never listens, such as a queue
 *   worker in cluster mode): the child stays up and is online anyway, flagged
 *   not confirmed ready (`confirmedReady: false`, a `process:warning`), as
 *   PM2 treats `listen_timeout`; a signal that comes later confirms it;
 * - before (a restart or a reload of an app that listened or said ready):
 *   a reload's replacement is rolled back (the old child keeps serving) and
 *   a launch fails with ReadyTimeoutError, so a release that stopped
 *   listening never silently replaces one that did.
 * With a startup or readiness probe, the probes decide instead, within the
 * longer of `listenTimeout` and the time the probes need to decide (src/health/);
 * a miss fails the launch with ReadyTimeoutError even on a first start.
 */
import type { NormalizedSpec } from '../types.js'
import type { Run } from './run.js'

/** How the wait for readiness ended: ready, `listenTimeout` passed, or the child exited first. */
export type Readiness = 'ready' | 'timeout' | 'exited'

/**
 * True when the signal is the spawn itself (fork mode without waitReady):
 * it says nothing of whether the app came up, so a reload also waits for
 * the new child to outlive `minUptime` before it reports success.
 */
export function readyAtSpawn(spec: Pick<NormalizedSpec, 'waitReady' | 'mode' | 'listen'>): boolean {
  // With held sockets (`listen`) the signal is the adoption of a socket (src/sockets/readiness.ts), not the spawn.
  return !spec.waitReady && spec.mode === 'fork' && spec.listen.length === 0
}

/** The signal alone, however late: what confirms a child that went online by the timeout. */
export function readySignal(run: Run, spec: Pick<NormalizedSpec, 'waitReady'>): Promise<void> {
  if (run.probes?.gates) return run.probes.ready
  return spec.waitReady ? run.readyMessage : run.child.online
}

export function waitReady(run: Run, spec: Pick<NormalizedSpec, 'waitReady' | 'listenTimeout'>): Promise<Readiness> {
  const probes = run.probes?.gates ? run.probes : null
  const ready = readySignal(run, spec)
  const bound = probes ? Math.max(spec.listenTimeout, probes.bound) : spec.listenTimeout
  return new Promise<Readiness>((resolve) => {
    // null once settled: the reactions below live as long as the child, the timer need not
    let cancel: (() => void) | null = run.after(bound, () => resolve('timeout'))
    const settle = (readiness: Readiness): void => {
      cancel?.()
      cancel = null
      resolve(readiness)
    }
    void ready.then(() => settle('ready'))
    void run.child.exited.then(() => settle('exited'))
  })
}
