/**
 * Every error tend throws is a `TendError` with a stable `code`. Match on the
 * code (or use `instanceof`), never on the message: messages may improve.
 * All codes are listed in docs/errors.md, and a test keeps the two in step.
 * The classes live in src/errors/, grouped by what raises them.
 */

export { ERROR_CODES, type ErrorCode, TendError } from './errors/tend-error.js'
export {
  InvalidSpecError,
  InvalidArgumentError,
  NotFoundError,
  ExistsError,
  SpawnError,
  ReadyTimeoutError,
  DependencyError,
  CrashLoopError,
  ExitedError,
  NoIpcError,
  ClosedError,
  LogFileError,
} from './errors/process-errors.js'
export { RpcError, RpcTimeoutError, DaemonError, DumpError, SocketError, CliError } from './errors/adapter-errors.js'
export { ActionUnknownError, ActionTimeoutError, ActionFailedError, type PortHolder, ListenError } from './errors/app-errors.js'
