/** Errors of the adapters: RPC, the daemon, the dump, the socket path, the command line. */
import { TendError } from './tend-error.js'

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
