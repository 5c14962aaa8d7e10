/**
 * Handing held sockets to a child with systemd's socket-activation protocol:
 * the sockets at fds 3, 4, … (the child's IPC channel, if any, comes after
 * them), `LISTEN_FDS`, `LISTEN_FDNAMES`, `LISTEN_PID` (the child's own pid)
 * and `PORT` (the first socket's port).
 */
import type { BoundSocket } from './bind.js'

/** What the fork preload reads to adopt a held socket for a `listen()` call (node children). */
export interface PreloadSocket {
  readonly fd: number
  readonly host: string
  readonly port: number
  readonly backlog: number
}

export interface Handover {
  /** The supervisor's fds, in the order they go to the child's 3, 4, … */
  readonly fds: readonly number[]
  readonly env: Readonly<Record<string, string>>
}

export function handover(sockets: readonly BoundSocket[], isNode: boolean): Handover {
  const env: Record<string, string> = {
    LISTEN_FDS: String(sockets.length),
    LISTEN_FDNAMES: sockets.map((socket) => socket.info.name).join(':'),
    PORT: String(sockets[0]!.info.port),
  }
  if (isNode) {
    const preload: PreloadSocket[] = sockets.map(({ info, backlog }) => ({ fd: info.fd, host: info.host, port: info.port, backlog }))
    env.TEND_LISTEN = JSON.stringify(preload)
  }
  return { fds: sockets.map((socket) => socket.fd), env }
}

/**
 * The command under a tiny exec shim that sets LISTEN_PID to the pid the
 * program will have: the shell's own, which `exec` keeps. (Node children set
 * it in their preload instead, with no shell in between.)
 */
export function withListenPid(command: string, args: readonly string[]): { command: string; args: string[] } {
  return { command: '/bin/sh', args: ['-c', 'LISTEN_PID=$$; export LISTEN_PID; exec "$@"', 'tend-listen', command, ...args] }
}
