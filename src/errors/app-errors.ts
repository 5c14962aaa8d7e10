/** Errors of what the app asks for: its actions (invoke()) and its sockets (`listen`). */
import { TendError, type ErrorCode } from './tend-error.js'

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
