/**
 * A zero-downtime replacement of a process's running child, the same for
 * every mode: start the replacement beside the old child, wait until it is
 * ready, hand the process over to it, then retire the old child gracefully.
 * When the replacement fails (spawn error, exit or ready timeout) it is
 * stopped, the old child keeps running and the error is thrown: the rollback.
 */
import { ExitedError, ReadyTimeoutError } from '../errors.js'
import type { ChildExit } from '../runners/runner.js'
import type { NormalizedSpec } from '../types.js'
import { waitReady } from './readiness.js'
import type { Run } from './run.js'

/** What a replacement needs of the process whose child it replaces. */
export interface Incumbent {
  readonly id: number
  readonly spec: NormalizedSpec
  /**
   * True when the process has been confirmed ready before: then a
   * replacement that is not ready within `listenTimeout` is rolled back.
   * False (it never gave the signal: an app that never listens) lets a
   * replacement as ready as the old one take over at the timeout.
   */
  readonly holdsToReadiness: boolean
  /** Spawns a new child for the process (output captured, `process:spawn` announced with its pid), not yet the process's own. */
  spawn(): Promise<Run>
  /** Makes the ready replacement the process's run (announced `process:online`); `confirmed` is false when it took over at the timeout. */
  takeOver(run: Run, confirmed: boolean): void
  /** Reports the retired child's exit (`process:exit`, reason `reload`, with its own pid). */
  retired(run: Run, exit: ChildExit): void
}

export interface Replaced {
  /** The old child's graceful stop, which may take until `killTimeout` while it drains. */
  readonly retired: Promise<void>
}

/** Replaces `current` (the process's run) by a new one; resolves once the new one is the process's, ready. */
export async function replace(current: Run, incumbent: Incumbent): Promise<Replaced> {
  const { spec } = incumbent
  const next = await incumbent.spawn()
  const readiness = await waitReady(next, spec)
  const asReadyAsTheOld = readiness === 'timeout' && !incumbent.holdsToReadiness
  if (readiness !== 'ready' && !asReadyAsTheOld) throw await rollBack(next, readiness, incumbent)
  incumbent.takeOver(next, readiness === 'ready')
  // the old child crashed meanwhile: its exit was reported as the crash it was
  if (current.child.hasExited) return { retired: Promise.resolve() }
  const retired = current.stop(spec.killTimeout).then((exit) => incumbent.retired(current, exit))
  return { retired }
}

/** Stops a replacement that did not get ready; returns the error to throw. */
async function rollBack(next: Run, readiness: 'ready' | 'timeout' | 'exited', { id, spec }: Incumbent): Promise<Error> {
  if (readiness === 'timeout') {
    await next.stop(spec.killTimeout)
    return new ReadyTimeoutError(spec.name, id, spec.listenTimeout)
  }
  const exit = await next.child.exited
  return new ExitedError(spec.name, id, exit.code, exit.signal)
}
