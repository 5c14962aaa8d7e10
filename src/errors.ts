/**
 * Every error tend throws is a `TendError` with a stable `code`. Match on the
 * code (or use `instanceof`), never on the message: messages may improve.
 * All codes are listed in docs/errors.md, and a test keeps the two in step.
 */

/** The stable error codes, one per error class. */
export const ERROR_CODES = [
  'TEND_ERR_INVALID_SPEC',
  'TEND_ERR_INVALID_ARGUMENT',
  'TEND_ERR_NOT_FOUND',
  'TEND_ERR_EXISTS',
  'TEND_ERR_SPAWN',
  'TEND_ERR_DEPENDENCY',
  'TEND_ERR_READY_TIMEOUT',
  'TEND_ERR_CRASH_LOOP',
  'TEND_ERR_EXITED',
  'TEND_ERR_NO_IPC',
  'TEND_ERR_CLOSED',
  'TEND_ERR_LOG_FILE',
  'TEND_ERR_RPC',
  'TEND_ERR_RPC_TIMEOUT',
  'TEND_ERR_DAEMON',
  'TEND_ERR_DUMP',
  'TEND_ERR_LISTEN',
  'TEND_ERR_SOCKET',
  'TEND_ERR_CLI',
  'TEND_ERR_ACTION_UNKNOWN',
  'TEND_ERR_ACTION_TIMEOUT',
  'TEND_ERR_ACTION_FAILED',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/**
 * The mark every copy of tend puts on its errors. `Symbol.for` keys are shared
 * across realms and module instances, so the ESM and CommonJS builds, and two
 * installed copies of tend, all see the same brand.
 */
const TEND_ERROR_BRAND = Symbol.for('tend.error')

/** An error of some copy of tend (a prototype carries the brand as well, but no `code` of its own). */
function isBranded(value: unknown): value is { readonly code: unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[TEND_ERROR_BRAND] === true &&
    Object.hasOwn(value, 'code')
  )
}

export class TendError extends Error {
  readonly code: ErrorCode

  /**
   * `instanceof` that holds across copies of tend (undici's way): an error
   * is a `TendError` when it carries tend's brand, and an instance of a
   * subclass when it also carries that class's `code`. A class of your own
   * that extends one of these (and declares no `code` of its own) keeps the
   * plain prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    if (!isBranded(value)) return false
    if (this === TendError) return true
    return Object.hasOwn(this, 'code') && (this as { readonly code?: unknown }).code === value.code
  }

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TendError'
    this.code = code
  }

  /** The brand, on the prototype: an error rebuilt with Object.create(prototype) carries it too. */
  get [TEND_ERROR_BRAND](): true {
    return true
  }
}

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
        : `Group "${fields.group}" gave up after ${fields.restarts} restarts within ${fields.period ?? 0} ms ` +
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

/**
 * An RPC call failed for a reason of the protocol, not of the Supervisor: a
 * malformed or oversized frame, an unknown method, bad params, or a
 * connection that closed. `rpcCode` is the JSON-RPC error code (-32xxx).
 */
export class RpcError extends TendError {
  static readonly code = 'TEND_ERR_RPC'
  readonly rpcCode: number
  constructor(rpcCode: number, message: string, options?: { cause?: unknown }) {
    super('TEND_ERR_RPC', message, options)
    this.name = 'RpcError'
    this.rpcCode = rpcCode
  }
}

/** An RPC call got no answer within its timeout. */
export class RpcTimeoutError extends TendError {
  static readonly code = 'TEND_ERR_RPC_TIMEOUT'
  readonly method: string
  readonly timeout: number
  constructor(method: string, timeout: number) {
    super('TEND_ERR_RPC_TIMEOUT', `RPC call "${method}" got no answer within ${timeout} ms`)
    this.name = 'RpcTimeoutError'
    this.method = method
    this.timeout = timeout
  }
}

/** The daemon could not be started or reached, or another daemon already owns TEND_HOME. */
export class DaemonError extends TendError {
  static readonly code = 'TEND_ERR_DAEMON'
  readonly home: string
  constructor(home: string, message: string, options?: { cause?: unknown }) {
    super('TEND_ERR_DAEMON', message, options)
    this.name = 'DaemonError'
    this.home = home
  }
}

/** dump.json cannot be read as a dump (damaged, torn by hand, not JSON). The previous good dump, if any, is `backup`. */
export class DumpError extends TendError {
  static readonly code = 'TEND_ERR_DUMP'
  readonly path: string
  readonly backup: string
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('TEND_ERR_DUMP', message, options)
    this.name = 'DumpError'
    this.path = path
    this.backup = `${path}.bak`
  }
}

/**
 * A Unix socket could not be used: its path is longer than the system allows
 * (107 bytes on Linux, 103 on macOS), or another server listens on it or took
 * it while this one started. `path` is the socket's path.
 */
export class SocketError extends TendError {
  static readonly code = 'TEND_ERR_SOCKET'
  readonly path: string
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('TEND_ERR_SOCKET', message, options)
    this.name = 'SocketError'
    this.path = path
  }
}

/**
 * The `tend` command line cannot do what it was asked: an unknown command or
 * option, a missing or bad argument, a file it cannot read or write.
 * `exitCode` is 2 for a command line that is wrong, 1 otherwise.
 */
export class CliError extends TendError {
  static readonly code = 'TEND_ERR_CLI'
  readonly exitCode: number
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super('TEND_ERR_CLI', message, { cause: options.cause })
    this.name = 'CliError'
    this.exitCode = options.exitCode ?? 1
  }
}

/** Fields every action error carries (and what it is as JSON, in invoke()'s results over RPC). */
abstract class ActionError extends TendError {
  readonly action: string
  readonly app: string
  readonly id: number
  constructor(code: ErrorCode, message: string, fields: { action: string; app: string; id: number }) {
    super(code, message)
    this.action = fields.action
    this.app = fields.app
    this.id = fields.id
  }
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, action: this.action, app: this.app, id: this.id }
  }
}

/** `invoke()` of an action the process has not registered (with tendjs/app, @pm2/io or tx2). */
export class ActionUnknownError extends ActionError {
  static readonly code = 'TEND_ERR_ACTION_UNKNOWN'
  constructor(fields: { action: string; app: string; id: number }) {
    super('TEND_ERR_ACTION_UNKNOWN', `Process ${fields.id} of app "${fields.app}" has no action "${fields.action}"`, fields)
    this.name = 'ActionUnknownError'
  }
}

/** An action did not answer within invoke()'s `timeout`; its handler's signal was aborted. */
export class ActionTimeoutError extends ActionError {
  static readonly code = 'TEND_ERR_ACTION_TIMEOUT'
  readonly timeout: number
  constructor(fields: { action: string; app: string; id: number; timeout: number }) {
    super(
      'TEND_ERR_ACTION_TIMEOUT',
      `Action "${fields.action}" of process ${fields.id} (app "${fields.app}") did not answer within ${fields.timeout} ms`,
      fields,
    )
    this.name = 'ActionTimeoutError'
    this.timeout = fields.timeout
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeout: this.timeout }
  }
}

/** An action threw (or rejected) in the app, or its process exited before it answered. `message` carries the app's message. */
export class ActionFailedError extends ActionError {
  static readonly code = 'TEND_ERR_ACTION_FAILED'
  /** The name of the app's error (`TypeError`…), or `exit` when the process exited first. */
  readonly reason: string
  constructor(fields: { action: string; app: string; id: number; reason: string; message: string }) {
    super(
      'TEND_ERR_ACTION_FAILED',
      `Action "${fields.action}" of process ${fields.id} (app "${fields.app}") failed: ${fields.message}`,
      fields,
    )
    this.name = 'ActionFailedError'
    this.reason = fields.reason
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason }
  }
}

/** What is known of the process that holds an address tend could not bind. */
export interface PortHolder {
  readonly pid: number
  /** Its command line, as the OS reports it. */
  readonly command: string
}

/**
 * A socket of `listen` could not be bound. `reason`: `in-use` (another
 * socket has the address; `holder` names its process when it can be found),
 * `privileged` (a port below 1024 without root or CAP_NET_BIND_SERVICE),
 * `address-unavailable` (no interface of this host has the address), or
 * `other` (see `errno`). No socket of the app is left bound.
 */
export class ListenError extends TendError {
  static readonly code = 'TEND_ERR_LISTEN'
  readonly app: string
  readonly address: string
  readonly reason: 'in-use' | 'privileged' | 'address-unavailable' | 'other'
  readonly errno: string | undefined
  readonly holder: PortHolder | null
  constructor(
    app: string,
    address: string,
    fields: { reason: ListenError['reason']; errno?: string; holder?: PortHolder | null },
    options?: { cause?: unknown },
  ) {
    const why = {
      'in-use': `the address is in use${fields.holder ? ` by pid ${fields.holder.pid} (${fields.holder.command})` : ''}`,
      privileged: 'ports below 1024 need root or CAP_NET_BIND_SERVICE',
      'address-unavailable': 'no network interface of this host has that address',
      other: fields.errno ?? 'the operating system refused',
    }[fields.reason]
    super('TEND_ERR_LISTEN', `Cannot listen on ${address} for app "${app}": ${why}`, options)
    this.name = 'ListenError'
    this.app = app
    this.address = address
    this.reason = fields.reason
    this.errno = fields.errno
    this.holder = fields.holder ?? null
  }
}
