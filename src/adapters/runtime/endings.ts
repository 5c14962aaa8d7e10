/**
 * When `tend runtime` ends on its own, and with which exit code. One table of
 * codes, and one watcher over the Supervisor's events that says when:
 *
 * - a critical app gives up (a process of it `errored`, or, not restarting,
 *   it ended for good after a failure): at once, code 3;
 * - every process has ended (nothing running, launching or waiting to
 *   restart) and one of them failed: code 1;
 * - a supervision group gives up (`group:errored`): at once, code 4;
 * - every process has ended cleanly: code 0 with `exitOnEnd`, else the
 *   runtime stays up until SIGTERM.
 */
import type { Supervisor } from '../../supervisor.js'
import type { ExitReason, ProcessInfo } from '../../types.js'

/** The runtime's exit codes: a stable table (docs/deploy-systemd-kubernetes.md). */
export const RUNTIME_EXIT = {
  /** Stopped by SIGTERM or SIGINT; or, with `--exit-on-end`, every app ended cleanly. */
  ok: 0,
  /** Every process has ended and at least one failed; or the apps could not be loaded or started. */
  failed: 1,
  /** The command line is wrong (the CLI's code for every verb). */
  usage: 2,
  /** A critical app gave up. */
  critical: 3,
  /** A supervision group gave up. */
  group: 4,
} as const

/** Why the runtime ends, and with which code. */
export interface RuntimeEnding {
  readonly code: number
  readonly message: string
  /** The app that made it end, when one did. */
  readonly app?: string
  /** The group that made it end, when one did. */
  readonly group?: string
}

export interface EndingOptions {
  /** End with code 0 when every process has ended cleanly (else the runtime stays up). */
  readonly exitOnEnd: boolean
  /** Called once when the runtime should end. */
  readonly end: (ending: RuntimeEnding) => void
  /** Called once each time every process has ended cleanly and the runtime stays up. */
  readonly idle: (message: string) => void
}

/** Exits not asked for that count as a failure when nothing restarts the process after them. */
const FAILURES: ReadonlySet<ExitReason> = new Set<ExitReason>(['crash', 'unhealthy', 'ready-timeout'])
const ENDED: ReadonlySet<string> = new Set(['stopped', 'errored'])

export interface EndingWatch {
  /**
   * The runtime's start() has settled: from now on, every process having
   * ended means every app has (before, apps waiting on their dependencies
   * are not listed yet). Checks at once.
   */
  started(): void
}

/** Watches `supervisor` for the runtime's end; calls `options.end` once. */
export function watchEndings(supervisor: Supervisor, options: EndingOptions): EndingWatch {
  let over = false
  let starting = true
  let idleSaid = false
  // The failure a process last ended with, until something restarts it.
  const failedExits = new Map<number, ExitReason>()
  const isCritical = (info: ProcessInfo): boolean => {
    try {
      return supervisor.describe(info.id)[0]?.spec.critical === true
    } catch {
      return false // deleted meanwhile
    }
  }
  const end = (ending: RuntimeEnding): void => {
    if (over) return
    over = true
    options.end(ending)
  }
  const criticalGaveUp = (info: ProcessInfo, why: string): void =>
    end({ code: RUNTIME_EXIT.critical, message: `critical app ${info.name} (#${info.instance}) gave up: ${why}`, app: info.name })

  const checkEnded = (): void => {
    if (over || starting) return
    // a group restart stops its members before it starts them again: not an end
    if (supervisor.groups().some((group) => group.status === 'restarting')) return
    const processes = supervisor.list()
    if (processes.length === 0 || !processes.every((info) => ENDED.has(info.status))) {
      idleSaid = false
      return
    }
    const failed = processes.filter((info) => info.status === 'errored' || failedExits.has(info.id))
    if (failed.length > 0) {
      const names = [...new Set(failed.map((info) => info.name))].join(', ')
      return end({ code: RUNTIME_EXIT.failed, message: `every app has ended, ${failed.length} process(es) failed (${names})` })
    }
    if (options.exitOnEnd) return end({ code: RUNTIME_EXIT.ok, message: 'every app has ended cleanly' })
    if (!idleSaid) options.idle('every app has ended cleanly; the runtime stays up until SIGTERM (--exit-on-end ends it here)')
    idleSaid = true
  }
  const later = (): void => queueMicrotask(checkEnded)

  supervisor.on('process:exit', ({ process: info, reason }) => {
    if (FAILURES.has(reason)) failedExits.set(info.id, reason)
    else failedExits.delete(info.id)
    later()
  })
  // something starts it again: its last failure no longer ends anything
  supervisor.on('process:restart', ({ process: info }) => failedExits.delete(info.id))
  supervisor.on('process:spawn', ({ process: info }) => failedExits.delete(info.id))
  supervisor.on('process:errored', ({ process: info, error }) => {
    if (isCritical(info)) criticalGaveUp(info, `${error.message} (${error.code})`)
    later()
  })
  // stopped right after a failed exit: autorestart is false (or the exit code says stop), so it ended for good
  supervisor.on('process:stopped', ({ process: info }) => {
    const failure = failedExits.get(info.id)
    if (failure && isCritical(info)) criticalGaveUp(info, `it exited for good (${failure}) and does not restart`)
    later()
  })
  supervisor.on('group:restart', later)
  // a supervision group gave up (its members are stopped): whatever they are, the container should go
  supervisor.on('group:errored', ({ group, error }) =>
    end({ code: RUNTIME_EXIT.group, message: `group ${group} gave up: ${error.message} (${error.code})`, group }),
  )
  return {
    started: () => {
      starting = false
      checkEnded()
    },
  }
}
