/**
 * The daemon: a Supervisor, an RPC server on TEND_HOME/rpc.sock and a pid
 * file, plus the methods only a daemon has (`kill`, `save`, `resurrect`).
 * It holds no process logic of its own.
 */
import { chmodSync, createWriteStream, mkdirSync, rmSync, writeFileSync, type WriteStream } from 'node:fs'
import { format } from 'node:util'
import { DaemonError, InvalidArgumentError } from '../../errors.js'
import { parseHistoryQuery, recordHistory } from '../../metrics/history.js'
import { groupSpecOf } from '../../groups/group-options.js'
import { Supervisor } from '../../supervisor.js'
import type { AppSpec, ProcessInfo } from '../../types.js'
import { VERSION } from '../../version.js'
import { serve, type RpcServer } from '../rpc/server.js'
import { daemonPaths, type DaemonPaths } from './paths.js'
import { readDump, writeDump } from './dump.js'
import { LastExits } from './last-exits.js'

export interface DaemonOptions {
  readonly home: string
  /** Metrics sampling interval for the Supervisor. @default 1000 */
  readonly metricsInterval?: number
  /**
   * Names of the daemon's own environment variables every app inherits
   * (under the env the starting CLI sends, and the spec's). Nothing else of
   * the daemon's environment reaches an app. @default []
   */
  readonly inheritEnv?: readonly string[]
}

/** The part of the daemon's environment apps inherit: only the names asked for. */
export function inheritedEnv(names: readonly string[], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const picked: Record<string, string> = {}
  for (const name of names) if (env[name] !== undefined) picked[name] = env[name]
  return picked
}

export interface Daemon extends AsyncDisposable {
  readonly paths: DaemonPaths
  readonly supervisor: Supervisor
  /** Resolves once the daemon has closed (after `close()`, or a `kill` over RPC). */
  readonly closed: Promise<void>
  /** Writes the apps' specs to dump.json (what `tend save` does). */
  save(options?: { force?: boolean }): { path: string; apps: number }
  /** Starts the saved apps that do not run (what `tend resurrect` does). */
  resurrect(): Promise<ProcessInfo[]>
  /** Stops every app gracefully, then the server; removes the socket and pid file. Idempotent. */
  close(): Promise<void>
}

import { livePid } from './pid-file.js'

export { livePid }

/** Appends timestamped lines to daemon.log. */
function openLog(path: string): { log: (...args: unknown[]) => void; stream: WriteStream } {
  const stream = createWriteStream(path, { flags: 'a', mode: 0o600 })
  stream.on('error', () => {
    // a log we cannot write must not take the daemon down
  })
  return { stream, log: (...args) => void stream.write(`${new Date().toISOString()} ${format(...args)}\n`) }
}

/** Starts a daemon in this process. Rejects with DaemonError when a live daemon already owns `home`. */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const paths = daemonPaths(options.home)
  mkdirSync(paths.home, { recursive: true, mode: 0o700 })
  chmodSync(paths.home, 0o700)
  mkdirSync(paths.logs, { recursive: true, mode: 0o700 })
  const other = livePid(paths.pidFile)
  if (other !== null && other !== process.pid) {
    throw new DaemonError(paths.home, `A tend daemon (pid ${other}) already runs for ${paths.home}`)
  }
  const { log, stream } = openLog(paths.daemonLog)
  // Apps get the environment of the CLI that starts them (it sends it with the specs), never the
  // daemon's: a variable of the shell that happened to launch the daemon must not reach later apps.
  const supervisor = new Supervisor({
    home: paths.home,
    metricsInterval: options.metricsInterval ?? 1000,
    env: inheritedEnv(options.inheritEnv ?? []),
  })
  const lastExits = new LastExits()
  supervisor.on('process:exit', (event) => {
    const { process: info, code, signal, reason } = event
    lastExits.record(info.id, event)
    log('%s#%d exited with %s: %s', info.name, info.instance, signal ?? code, reason)
  })
  supervisor.on('process:errored', ({ process: info, error }) => log('%s#%d errored: %s', info.name, info.instance, error.message))
  supervisor.on('group:restart', ({ group, strategy, trigger, reason, apps }) =>
    log('group %s (%s): %s#%d exited (%s); restarting %s', group, strategy, trigger.name, trigger.instance, reason, apps.join(', ')),
  )
  supervisor.on('group:errored', ({ group, error }) => log('group %s gave up: %s', group, error.message))
  supervisor.on('logfile:error', ({ app, path, error }) => log('log file %s of %s stopped taking writes: %s', path, app, error.message))
  // The last hour of CPU and memory, for `tend monit` and `tend dashboard` (see docs/monit-and-dashboard.md).
  const metrics = recordHistory(supervisor)

  let resolveClosed!: () => void
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve))
  let closing: Promise<void> | null = null
  let server: RpcServer | null = null
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      log('closing: stopping %d processes', supervisor.list().length)
      await supervisor.close()
      metrics.stop()
      await server?.close()
      if (livePid(paths.pidFile) === process.pid) rmSync(paths.pidFile, { force: true })
      log('closed')
      await new Promise<void>((resolve) => stream.end(resolve))
      resolveClosed()
    })())

  const save = (options: { force?: boolean } = {}): { path: string; apps: number } => {
    const specs = supervisor.appSpecs()
    // A daemon that came back empty (after a crash, say) must not wipe a good dump by accident.
    if (specs.length === 0 && !options?.force) {
      const saved = readDump(paths.dump).apps.length
      if (saved > 0) {
        throw new InvalidArgumentError(
          'force',
          `Nothing runs: saving would replace the ${saved} app(s) in ${paths.dump} with none (tend save --force, or save({ force: true }), does it anyway)`,
        )
      }
    }
    const groups = Object.fromEntries(supervisor.groups().map((group) => [group.name, groupSpecOf(group)]))
    writeDump(paths.dump, specs, groups)
    log('saved %d apps and %d groups to %s', specs.length, Object.keys(groups).length, paths.dump)
    return { path: paths.dump, apps: specs.length }
  }

  const resurrect = async (): Promise<ProcessInfo[]> => {
    const { apps, groups } = readDump(paths.dump)
    const running = new Set(supervisor.list().map((info) => info.name))
    const missing = apps.filter((spec: AppSpec) => !running.has(String(spec.name)))
    log('resurrecting %d of %d saved apps', missing.length, apps.length)
    if (missing.length === 0) return []
    // groups a running daemon declared since keep their declaration: only the missing ones come from the dump
    const declared = new Set(supervisor.groups().map((group) => group.name))
    const absent = Object.entries(groups).filter(([name]) => !declared.has(name))
    if (absent.length > 0) supervisor.defineGroups(Object.fromEntries(absent))
    return supervisor.start(missing)
  }

  try {
    server = await serve(supervisor, {
      socketPath: paths.socket,
      methods: {
        ping: () => ({ pid: process.pid, version: VERSION, home: paths.home, processes: supervisor.list().length }),
        save: (options) => save(options as { force?: boolean } | undefined),
        resurrect,
        lastExits: (ids) => lastExits.of(Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : []),
        metricsHistory: (query) => metrics.history.query(parseHistoryQuery(query)),
        kill: () => {
          // Answer first, then close: the caller waits for the socket to go.
          setImmediate(() => void close())
          return { pid: process.pid }
        },
      },
    })
  } catch (error) {
    await supervisor.close()
    stream.end()
    throw error
  }
  writeFileSync(paths.pidFile, `${process.pid}\n`, { mode: 0o600 })
  log('daemon %s started (pid %d, node %s) in %s', VERSION, process.pid, process.version, paths.home)

  return { paths, supervisor, closed, save, resurrect, close, [Symbol.asyncDispose]: close }
}
