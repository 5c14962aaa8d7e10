/** Errors of specs, arguments and processes: what start(), stop() and the other operations reject with. */
import { TendError } from './tend-error.js'

/** A spec (or one field of it) is not valid. `option` names the field. */
export class InvalidSpecError extends TendError {
  static readonly code = 'TEND_ERR_INVALID_SPEC'
  readonly option: string | undefined
  readonly app: string | undefined
  constructor(message: string, fields: { option?: string; app?: string } = {}) {
    super('TEND_ERR_INVALID_SPEC', message)
    this.name = 'InvalidSpecError'
    this.option = fields.option
    this.app = fields.app
  }
}

/** An argument of a Supervisor method (not a spec) is not valid. */
export class InvalidArgumentError extends TendError {
  static readonly code = 'TEND_ERR_INVALID_ARGUMENT'
  readonly argument: string
  constructor(argument: string, message: string) {
    super('TEND_ERR_INVALID_ARGUMENT', message)
    this.name = 'InvalidArgumentError'
    this.argument = argument
  }
}

/** A target (id, app name, namespace) matched nothing. */
export class NotFoundError extends TendError {
  static readonly code = 'TEND_ERR_NOT_FOUND'
  readonly target: unknown
  constructor(target: unknown) {
    super('TEND_ERR_NOT_FOUND', `No process or app matches ${JSON.stringify(target)}`)
    this.name = 'NotFoundError'
    this.target = target
  }
}

/** `start()` of an app name that is already registered. */
export class ExistsError extends TendError {
  static readonly code = 'TEND_ERR_EXISTS'
  readonly app: string
  constructor(app: string, hint = 'restart, reload or delete it instead') {
    super('TEND_ERR_EXISTS', `An app named "${app}" already exists; ${hint}`)
    this.name = 'ExistsError'
    this.app = app
  }
}

/** The operating system could not start the process (missing interpreter, not executable, bad cwd…). */
export class SpawnError extends TendError {
  static readonly code = 'TEND_ERR_SPAWN'
  readonly app: string
  readonly command: string
  readonly errno: string | undefined
  constructor(app: string, command: string, cause: unknown) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code
    const detail = cause instanceof Error ? cause.message : String(cause)
    const limit = errno === undefined ? undefined : LIMIT_HINTS[errno]
    super('TEND_ERR_SPAWN', `Could not spawn "${command}" for app "${app}": ${detail}${limit ? ` (${limit})` : ''}`, { cause })
    this.name = 'SpawnError'
    this.app = app
    this.command = command
    this.errno = errno
  }
}

/** What a spawn failure with one of these codes means: a limit of the machine, not a fault of the app. */
const LIMIT_HINTS: Readonly<Record<string, string>> = {
  EMFILE: "too many open files: the supervisor's descriptor limit (ulimit -n) is reached",
  ENFILE: 'too many open files in the system (fs.file-max)',
  EAGAIN: 'the system refused a new process: the process limit (ulimit -u, RLIMIT_NPROC) or pids.max is reached',
  ENOMEM: 'not enough memory to start a process',
}

/** A process did not become ready (sent `'ready'` or started listening) within `listenTimeout`. */
export class ReadyTimeoutError extends TendError {
  static readonly code = 'TEND_ERR_READY_TIMEOUT'
  readonly app: string
  readonly id: number
  readonly timeout: number
  constructor(app: string, id: number, timeout: number) {
    super('TEND_ERR_READY_TIMEOUT', `Process ${id} of app "${app}" was not ready within ${timeout} ms`)
    this.name = 'ReadyTimeoutError'
    this.app = app
    this.id = id
    this.timeout = timeout
  }
}

/** An app was not started because an app it depends on failed (errored, exited, timed out); `chain` runs from it to the failed one. */
export class DependencyError extends TendError {
  static readonly code = 'TEND_ERR_DEPENDENCY'
  readonly app: string
  readonly chain: readonly string[]
  /** What happened to the last app of the chain. */
  readonly reason: string
  constructor(chain: readonly string[], reason: string) {
    super(
      'TEND_ERR_DEPENDENCY',
      `App "${chain[0]}" was not started: its dependency ${chain
        .slice(1)
        .map((name) => `"${name}"`)
        .join(' → ')} ${reason}`,
    )
    this.name = 'DependencyError'
    this.app = chain[0] ?? ''
    this.chain = [...chain]
    this.reason = reason
  }
}

/** A process exited unstably `maxRestarts` times in a row and tend stopped restarting it. */
export class CrashLoopError extends TendError {
  static readonly code = 'TEND_ERR_CRASH_LOOP'
  readonly app: string
  readonly id: number
  readonly restarts: number
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  /**
   * The supervision group that gave up, when it is a group's error (`group:errored`); then `app` and `id`
   * name the process whose exit was one too many, and `restarts` counts the group's restarts within `period`.
   */
  readonly group?: string
  /** The group's `period` in ms (a group's error only). */
  readonly period?: number
  constructor(
    app: string,
    id: number,
    fields: { restarts: number; exitCode: number | null; signal: NodeJS.Signals | null; group?: string; period?: number },
    options?: { cause?: unknown },
  ) {
    const how = fields.signal ? `signal ${fields.signal}` : `code ${fields.exitCode}`
    super(
      'TEND_ERR_CRASH_LOOP',
      fields.group === undefined
        ? `Process ${id} of app "${app}" kept exiting (last with ${how}) and was given up after ${fields.restarts} restarts`
        : `Group "${fields.group}" gave up after ${fields.restarts} restarts within ${seconds(fields.period ?? 0)} ` +
            `(last: process ${id} of app "${app}", ${how}); its members are stopped`,
      options,
    )
    this.name = 'CrashLoopError'
    this.app = app
    this.id = id
    this.restarts = fields.restarts
    this.exitCode = fields.exitCode
    this.signal = fields.signal
    if (fields.group !== undefined) {
      this.group = fields.group
      this.period = fields.period ?? 0
    }
  }
}

/**
 * A process exited while an operation was waiting for it to come online, and
 * its restart policy does not bring it back (`autorestart: false`, or the exit
 * code is in `stopExitCodes`).
 */
export class ExitedError extends TendError {
  static readonly code = 'TEND_ERR_EXITED'
  readonly app: string
  readonly id: number
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  constructor(app: string, id: number, exitCode: number | null, signal: NodeJS.Signals | null) {
    const how = signal ? `signal ${signal}` : `code ${exitCode}`
    super('TEND_ERR_EXITED', `Process ${id} of app "${app}" exited with ${how} before it was online`)
    this.name = 'ExitedError'
    this.app = app
    this.id = id
    this.exitCode = exitCode
    this.signal = signal
  }
}

/** `send()` to a process that has no IPC channel (not a node script, or it closed the channel). */
export class NoIpcError extends TendError {
  static readonly code = 'TEND_ERR_NO_IPC'
  readonly id: number
  constructor(id: number, app: string) {
    super('TEND_ERR_NO_IPC', `Process ${id} of app "${app}" has no IPC channel to send to`)
    this.name = 'NoIpcError'
    this.id = id
  }
}

/** The Supervisor was closed; it takes no more operations. */
export class ClosedError extends TendError {
  static readonly code = 'TEND_ERR_CLOSED'
  constructor() {
    super('TEND_ERR_CLOSED', 'The supervisor is closed')
    this.name = 'ClosedError'
  }
}

/** A log file cannot be created or opened (a read-only directory, a path under a file…). Nothing was started. */
export class LogFileError extends TendError {
  static readonly code = 'TEND_ERR_LOG_FILE'
  readonly path: string
  readonly app: string
  readonly errno: string | undefined
  constructor(app: string, path: string, cause: unknown) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code
    const detail = cause instanceof Error ? cause.message : String(cause)
    super('TEND_ERR_LOG_FILE', `Cannot open log file "${path}" for app "${app}": ${detail}`, { cause })
    this.name = 'LogFileError'
    this.path = path
    this.app = app
    this.errno = errno
  }
}

/** A period as people write it: whole seconds as `60 s`, anything else in ms. */
function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}
