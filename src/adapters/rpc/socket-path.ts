/**
 * The length limit of a Unix socket's path, checked before the path is
 * touched: past it, `listen` fails with a bare EINVAL and, on Node 24 and
 * later, `connect` does too, before anything could say why.
 */
import { SocketError } from '../../errors.js'

/** sun_path is 108 bytes on Linux and 104 on macOS, with a terminating NUL. */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'linux' ? 107 : 103

/** True when `socketPath` fits in sun_path. */
export function socketPathFits(socketPath: string): boolean {
  return Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH_BYTES
}

/** Throws a SocketError naming the path, its length and the limit when it does not fit. `hint` says what to shorten. */
export function assertSocketPathFits(socketPath: string, hint = 'Use a shorter path'): void {
  if (socketPathFits(socketPath)) return
  throw new SocketError(
    socketPath,
    `The socket path ${socketPath} is ${Buffer.byteLength(socketPath)} bytes; Unix sockets allow ${MAX_SOCKET_PATH_BYTES}. ${hint}`,
  )
}
