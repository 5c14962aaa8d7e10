/**
 * A real tend daemon (src/adapters/cli/daemon-main.ts through tsx) started
 * under resource limits: `ulimit` in a shell that then execs node, and,
 * where asked, as a user id of its own that nothing else on the machine uses
 * (RLIMIT_NPROC does not bind root, and counts every process of the user), with
 * a client connected before any limit is reached. Cleaned up after the test:
 * the daemon and every process it ran are proved gone.
 */
import { spawn, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { connect, type SupervisorClient } from '../../src/rpc.js'
import { isAlive, onCleanup, until } from '../helpers.js'

const daemonEntry = fileURLToPath(new URL('../../src/adapters/cli/daemon-main.ts', import.meta.url))
const tsxLoader = import.meta.resolve('tsx')

export interface LimitedDaemon {
  readonly home: string
  readonly pid: number
  readonly client: SupervisorClient
  /** Pids to prove gone after the test. */
  track(...pids: (number | null | undefined)[]): void
}

export interface Limits {
  /** `ulimit` flags and values, e.g. `{ n: 256 }` or `{ u: 40 }`. */
  readonly ulimit: Readonly<Record<string, number>>
  /** Run the daemon as an unused user id of its own (needs root and setpriv). */
  readonly ownUser?: boolean
  /** A TEND_HOME to use (default: a fresh one under /tmp). */
  readonly home?: string
}

/** Root with setpriv: the daemon can run as a user of its own, whose process count RLIMIT_NPROC limits. */
export const canRunAsOwnUser =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  spawnSync('setpriv', ['--reuid=234567', '--regid=234567', '--clear-groups', 'true']).status === 0

/** Root may mount a tmpfs (a small, really full disk). */
export const canMountTmpfs = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0

export function shortHome(): string {
  const home = mkdtempSync('/tmp/tend-lim-')
  onCleanup(() => rmSync(home, { recursive: true, force: true }))
  return home
}

export async function limitedDaemon(limits: Limits): Promise<LimitedDaemon> {
  const home = limits.home ?? shortHome()
  const ulimits = Object.entries(limits.ulimit)
    .map(([flag, value]) => `ulimit -${flag} ${value}`)
    .join(' && ')
  const script = `${ulimits ? `${ulimits} && ` : ''}exec "${process.execPath}" --import "${tsxLoader}" "${daemonEntry}"`
  let command = 'bash'
  let args = ['-c', script]
  if (limits.ownUser) {
    // a uid no account has, picked at random so that parallel runs do not share a process count
    const uid = 200_000 + Math.floor(Math.random() * 100_000)
    chownSync(home, uid, uid)
    chmodSync(home, 0o700)
    command = 'setpriv'
    args = [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', 'bash', '-c', script]
  }
  const daemon = spawn(command, args, {
    env: { ...process.env, TEND_HOME: home, HOME: home },
    stdio: 'ignore',
    cwd: home,
  })
  const pids = new Set<number>([daemon.pid!])
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()))
  let client: SupervisorClient | null = null
  onCleanup(async () => {
    if (client && !daemon.killed && daemon.exitCode === null) {
      const listed = await client.list().catch(() => [])
      for (const info of listed) if (info.pid) pids.add(info.pid)
      await client.call('kill', [], { timeout: 60_000 }).catch(() => undefined)
      await client.close()
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))])
    if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL')
    await until(() => [...pids].every((pid) => !isAlive(pid)), { timeout: 30_000, message: `no process left of ${[...pids].join(', ')}` })
  })
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      client = await connect({ socketPath: join(home, 'rpc.sock'), timeout: 300_000 })
      break
    } catch (error) {
      if (daemon.exitCode !== null || Date.now() > deadline) throw new Error(`the limited daemon did not come up: ${String(error)}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return {
    home,
    pid: daemon.pid!,
    client,
    track: (...more) => {
      for (const pid of more) if (typeof pid === 'number') pids.add(pid)
    },
  }
}
