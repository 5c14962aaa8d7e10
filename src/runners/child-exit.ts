/** What fork and cluster children share: the drained exit, and exception reports from the child. */
import type { ChildProcess } from 'node:child_process'
import { debuglog } from 'node:util'
import type { ChildExit } from './runner.js'

const debug = debuglog('tend')

/** How long an exited child's pipes may stay open (held by a daemonized grandchild) before we stop waiting. */
const DRAIN_GRACE_MS = 1000

/**
 * Resolves once the child has exited and its output pipes are drained, so
 * the last lines are in before the exit is reported. `beforeDrain` runs at
 * the exit itself (to kill what is left of a process group).
 */
export function drainedExit(child: ChildProcess, beforeDrain?: () => void): Promise<ChildExit> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      beforeDrain?.()
      const exit = { code, signal }
      if (child.stdout === null && child.stderr === null) return resolve(exit)
      const grace = setTimeout(() => {
        debug('pid %d exited but its pipes stayed open; not waiting for them', child.pid)
        child.stdout?.destroy()
        child.stderr?.destroy()
        resolve(exit)
      }, DRAIN_GRACE_MS)
      child.once('close', () => {
        clearTimeout(grace)
        resolve(exit)
      })
    })
  })
}

export interface ExceptionReport {
  readonly type: 'tend:exception'
  readonly error: { name: string; message: string; stack?: string }
}

export function isExceptionReport(message: unknown): message is ExceptionReport {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'tend:exception'
}
