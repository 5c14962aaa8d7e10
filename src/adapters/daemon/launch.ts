/**
 * Finding the daemon, or starting it: connect to TEND_HOME/rpc.sock; when
 * nothing answers, launch the daemon detached and wait for its socket.
 */
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync, chmodSync } from 'node:fs'
import { DaemonError } from '../../errors.js'
import { connect, type SupervisorClient } from '../rpc/client.js'
import { assertSocketPathFits } from '../rpc/socket-path.js'
import { livePid } from './pid-file.js'
import { daemonPaths } from './paths.js'

export interface LaunchOptions {
  readonly home: string
  /** The command that runs the daemon in the foreground (node and the CLI's `daemon` verb). */
  readonly command: string
  readonly args: readonly string[]
  readonly env: Readonly<Record<string, string | undefined>>
  /** How long to wait for a new daemon's socket. @default 15000 */
  readonly timeout?: number
  /** Per-call timeout of the client. */
  readonly callTimeout?: number
}

const NOT_LISTENING = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'])

/**
 * Connects to the daemon of `home`; null when none answers. A TEND_HOME too
 * long for its socket is a SocketError, before anything is tried or launched;
 * other errors (EACCES…) are thrown as DaemonError.
 */
export async function connectDaemon(home: string, callTimeout?: number): Promise<SupervisorClient | null> {
  const socketPath = daemonPaths(home).socket
  assertSocketPathFits(socketPath, 'Use a shorter TEND_HOME')
  try {
    return await connect({ socketPath, timeout: callTimeout })
  } catch (error) {
    if (NOT_LISTENING.has((error as NodeJS.ErrnoException).code ?? '')) return null
    throw new DaemonError(home, `Cannot reach the tend daemon in ${home}: ${(error as Error).message}`, { cause: error })
  }
}

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return ''
  }
}

/** Connects to the daemon, launching it first when none answers. */
export async function connectOrLaunch(options: LaunchOptions): Promise<SupervisorClient> {
  const existing = await connectDaemon(options.home, options.callTimeout)
  if (existing) return existing
  const paths = daemonPaths(options.home)
  const timeout = options.timeout ?? 15_000
  const deadline = Date.now() + timeout

  // A live pid without a socket is a daemon still starting (or stuck): give it the same time.
  if (livePid(paths.pidFile) === null) {
    mkdirSync(paths.home, { recursive: true, mode: 0o700 })
    chmodSync(paths.home, 0o700)
    const logFd = openSync(paths.daemonLog, 'a', 0o600)
    const launched: { exited: string | null } = { exited: null }
    try {
      const child = spawn(options.command, [...options.args], {
        detached: true,
        stdio: ['ignore', logFd, logFd],
        env: { ...options.env, TEND_HOME: paths.home },
        cwd: paths.home,
      })
      child.once('error', (error) => (launched.exited = error.message))
      child.once('exit', (code, signal) => (launched.exited = `exited with ${signal ?? code}`))
      child.unref()
    } finally {
      closeSync(logFd)
    }
    while (Date.now() < deadline) {
      const client = await connectDaemon(options.home, options.callTimeout)
      if (client) return client
      // Another CLI may have won the race: its daemon answers even though ours exited.
      if (launched.exited !== null && livePid(paths.pidFile) === null) {
        const log = tail(paths.daemonLog, 5)
        throw new DaemonError(
          paths.home,
          `The tend daemon could not start (${launched.exited})${log ? `; ${paths.daemonLog} ends with:\n${log}` : ''}`,
        )
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  } else {
    while (Date.now() < deadline) {
      const client = await connectDaemon(options.home, options.callTimeout)
      if (client) return client
      if (livePid(paths.pidFile) === null) return connectOrLaunch({ ...options, timeout: Math.max(1000, deadline - Date.now()) })
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  throw new DaemonError(paths.home, `The tend daemon did not answer on ${paths.socket} within ${timeout} ms; see ${paths.daemonLog}`)
}
