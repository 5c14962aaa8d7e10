/**
 * The wire format of tend's RPC: JSON-RPC 2.0, one JSON object per line
 * (newline-delimited), with a size cap per line. Shared by server and client.
 */
import {
  ActionFailedError,
  ActionTimeoutError,
  ActionUnknownError,
  ClosedError,
  CrashLoopError,
  DaemonError,
  DumpError,
  ERROR_CODES,
  ExistsError,
  ExitedError,
  InvalidArgumentError,
  InvalidSpecError,
  ListenError,
  LogFileError,
  NoIpcError,
  NotFoundError,
  ReadyTimeoutError,
  DependencyError,
  RpcError,
  RpcTimeoutError,
  SocketError,
  SpawnError,
  TendError,
  type ErrorCode,
} from '../../errors.js'

/** The largest request line the server accepts (requests are untrusted): 1 MiB. */
export const MAX_FRAME_BYTES = 1024 * 1024

/**
 * The largest line a client accepts from its server, and the largest reply
 * the server sends: 256 MiB. Replies come from the trusted side and grow with
 * the number of processes (a `list()` of 5,000 is about 2 MiB), so they are
 * bounded only against a runaway; a reply over it is answered with a
 * `RPC_REPLY_TOO_LARGE` error instead, and the connection stays up.
 */
export const MAX_REPLY_BYTES = 256 * 1024 * 1024

/** JSON-RPC 2.0 error codes. */
export const RPC_PARSE_ERROR = -32700
export const RPC_INVALID_REQUEST = -32600
export const RPC_METHOD_NOT_FOUND = -32601
export const RPC_INVALID_PARAMS = -32602
export const RPC_INTERNAL_ERROR = -32603
/** An error the Supervisor threw; `data.code` is its `TEND_ERR_*` code. */
export const RPC_APPLICATION_ERROR = -32000
/** The frame was longer than MAX_FRAME_BYTES. */
export const RPC_FRAME_TOO_LARGE = -32001
/** The reply would have been longer than the reply cap (the server's `maxReplyBytes`, or the client's). */
export const RPC_REPLY_TOO_LARGE = -32002

export type RpcId = number | string | null

export interface RpcRequest {
  readonly jsonrpc: '2.0'
  readonly id?: RpcId
  readonly method: string
  readonly params?: readonly unknown[]
}

export interface RpcErrorObject {
  readonly code: number
  readonly message: string
  readonly data?: { readonly code: string; readonly [field: string]: unknown }
}

export interface RpcResponse {
  readonly jsonrpc: '2.0'
  readonly id: RpcId
  readonly result?: unknown
  readonly error?: RpcErrorObject
}

/** A server-to-client event: a notification with method `event`. */
export interface RpcEventNotification {
  readonly jsonrpc: '2.0'
  readonly method: 'event'
  readonly params: readonly [name: string, payload: unknown]
}

/** How many leading bytes of an oversized line `onOversized` gets (enough for `{"jsonrpc":"2.0","id":…`). */
const OVERSIZED_HEAD_BYTES = 128

/**
 * Splits a byte stream into lines; a line longer than `maxBytes` is reported
 * once (`onOversized`, with its first bytes, so a client can tell which call
 * it answered) and its bytes are discarded up to its newline, so the buffer
 * never holds more than `maxBytes`.
 */
export class FrameDecoder {
  #parts: Buffer[] = []
  #size = 0
  #discarding = false

  constructor(
    private readonly onFrame: (line: string) => void,
    private readonly onOversized: (head: string) => void,
    private readonly maxBytes = MAX_FRAME_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start)
      const end = newline === -1 ? chunk.length : newline
      if (!this.#discarding) {
        const piece = chunk.subarray(start, end)
        if (this.#size + piece.length > this.maxBytes) {
          const head = headOf([...this.#parts.slice(0, 8), piece])
          this.#parts = []
          this.#size = 0
          this.#discarding = true
          this.onOversized(head)
        } else {
          this.#parts.push(piece)
          this.#size += piece.length
        }
      }
      if (newline === -1) return
      if (this.#discarding) this.#discarding = false
      else {
        const line = Buffer.concat(this.#parts).toString('utf8')
        this.#parts = []
        this.#size = 0
        if (line.trim() !== '') this.onFrame(line)
      }
      start = newline + 1
    }
  }
}

function headOf(parts: Buffer[]): string {
  return Buffer.concat(parts.map((part) => part.subarray(0, OVERSIZED_HEAD_BYTES)))
    .subarray(0, OVERSIZED_HEAD_BYTES)
    .toString('utf8')
}

/** Serializes an error for the wire: TendErrors keep their code and structured fields in `data`. */
export function errorToWire(error: unknown): RpcErrorObject {
  if (error instanceof RpcError) return { code: error.rpcCode, message: error.message, data: { code: error.code } }
  // instanceof holds for errors of any copy of tend (the CJS build, another install): see TendError.
  if (error instanceof TendError) {
    const fields: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(error)) {
      if (key !== 'code' && key !== 'name' && key !== 'message' && key !== 'stack' && key !== 'cause') fields[key] = value
    }
    return { code: RPC_APPLICATION_ERROR, message: error.message, data: { ...fields, code: error.code, name: error.name } }
  }
  const message = error instanceof Error ? error.message : String(error)
  const name = error instanceof Error ? error.name : 'Error'
  return { code: RPC_INTERNAL_ERROR, message, data: { code: 'TEND_ERR_RPC', name } }
}

const CLASSES: Partial<Record<ErrorCode, { prototype: TendError }>> = {
  TEND_ERR_INVALID_SPEC: InvalidSpecError,
  TEND_ERR_INVALID_ARGUMENT: InvalidArgumentError,
  TEND_ERR_NOT_FOUND: NotFoundError,
  TEND_ERR_EXISTS: ExistsError,
  TEND_ERR_SPAWN: SpawnError,
  TEND_ERR_READY_TIMEOUT: ReadyTimeoutError,
  TEND_ERR_DEPENDENCY: DependencyError,
  TEND_ERR_CRASH_LOOP: CrashLoopError,
  TEND_ERR_EXITED: ExitedError,
  TEND_ERR_NO_IPC: NoIpcError,
  TEND_ERR_CLOSED: ClosedError,
  TEND_ERR_LOG_FILE: LogFileError,
  TEND_ERR_RPC_TIMEOUT: RpcTimeoutError,
  TEND_ERR_DAEMON: DaemonError,
  TEND_ERR_DUMP: DumpError,
  TEND_ERR_LISTEN: ListenError,
  TEND_ERR_SOCKET: SocketError,
  TEND_ERR_ACTION_UNKNOWN: ActionUnknownError,
  TEND_ERR_ACTION_TIMEOUT: ActionTimeoutError,
  TEND_ERR_ACTION_FAILED: ActionFailedError,
}

/**
 * Rebuilds an error from the wire: an instance of the same class where the
 * code is known (so `instanceof NotFoundError` holds on the client), with
 * the same `code`, message and fields.
 */
export function errorFromWire(wire: RpcErrorObject): Error {
  const code = wire.data?.code
  if (typeof code !== 'string' || !(ERROR_CODES as readonly string[]).includes(code) || code === 'TEND_ERR_RPC') {
    return new RpcError(wire.code, wire.message)
  }
  const cls = CLASSES[code as ErrorCode]
  const error: TendError = cls ? (Object.create(cls.prototype) as TendError) : new TendError(code as ErrorCode, wire.message)
  Object.defineProperty(error, 'message', { value: wire.message, writable: true, configurable: true })
  Object.defineProperty(error, 'stack', {
    value: `${typeof wire.data?.name === 'string' ? wire.data.name : 'TendError'}: ${wire.message}\n    at <tend daemon>`,
    writable: true,
    configurable: true,
  })
  Object.assign(error, wire.data, { code })
  if (typeof wire.data?.name === 'string')
    Object.defineProperty(error, 'name', { value: wire.data.name, writable: true, configurable: true })
  return error
}
