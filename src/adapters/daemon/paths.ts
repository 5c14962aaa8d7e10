/** Where the daemon keeps its files: TEND_HOME (default ~/.tend). */
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

export interface DaemonPaths {
  readonly home: string
  /** The RPC socket, mode 0600. */
  readonly socket: string
  readonly pidFile: string
  /** The daemon's own log (its lifecycle, and anything it writes to stdout or stderr). */
  readonly daemonLog: string
  readonly dump: string
  /** Apps' log files. */
  readonly logs: string
}

/** TEND_HOME from an environment, else ~/.tend. */
export function tendHome(env: Readonly<Record<string, string | undefined>>): string {
  const home = env.TEND_HOME
  return home && home.trim() !== '' ? resolve(home) : join(homedir(), '.tend')
}

export function daemonPaths(home: string): DaemonPaths {
  return {
    home,
    socket: join(home, 'rpc.sock'),
    pidFile: join(home, 'tend.pid'),
    daemonLog: join(home, 'daemon.log'),
    dump: join(home, 'dump.json'),
    logs: join(home, 'logs'),
  }
}
