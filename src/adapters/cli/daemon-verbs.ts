/** The verbs about the daemon itself: daemon (foreground), ping, kill, save, resurrect. */
import { livePid } from '../daemon/pid-file.js'
import { daemonPaths } from '../daemon/paths.js'
import type { ProcessInfo } from '../../types.js'
import { home, out, report, runningDaemon, warn, withDaemon } from './context.js'
import { processTable } from './format.js'
import { isAlive } from '../../runners/process-group.js'
import { metricsEndpoint, serveDaemonMetrics } from './daemon-metrics.js'

/** Runs the daemon in this process until SIGTERM/SIGINT or `tend kill`. */
export async function runDaemon(options: { resurrect?: boolean; metricsPort?: string; metricsHost?: string }): Promise<void> {
  const endpoint = metricsEndpoint(options, process.env)
  // Loaded here, not at the top: every other verb is a client and needs none of the Supervisor.
  const { startDaemon } = await import('../daemon/daemon.js')
  // TEND_DAEMON_INHERIT_ENV=NAME,NAME: the daemon's own variables that every app inherits (none by default).
  const inheritEnv = (process.env.TEND_DAEMON_INHERIT_ENV ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)
  const daemon = await startDaemon({ home: home(), inheritEnv })
  let open = true
  void daemon.closed.then(() => (open = false))
  const metricsServer = endpoint ? await serveDaemonMetrics(daemon.supervisor, endpoint, () => open) : null
  const stop = (): void => void daemon.close()
  // SIGUSR2 reopens every log file, for an external logrotate that renamed them.
  const reopen = (): void => void daemon.supervisor.reopenLogs().catch((error: unknown) => warn(`reopen logs: ${(error as Error).message}`))
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.on('SIGHUP', stop)
  process.on('SIGUSR2', reopen)
  if (options.resurrect) {
    try {
      await daemon.resurrect()
    } catch (error) {
      // Apps that cannot start stay listed as errored; the daemon keeps running.
      warn(`resurrect: ${(error as Error).message}`)
    }
  }
  await daemon.closed
  await metricsServer?.close()
  process.off('SIGTERM', stop)
  process.off('SIGINT', stop)
  process.off('SIGHUP', stop)
  process.off('SIGUSR2', reopen)
}

export async function ping(options: { json?: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const answer = await client.call<{ pid: number; version: string; home: string; processes: number }>('ping', [], { timeout: 10_000 })
    report(
      options.json,
      answer,
      () => `pong: daemon ${answer.version}, pid ${answer.pid}, ${answer.processes} process(es), home ${answer.home}`,
    )
  })
}

/** Stops every app gracefully, then the daemon; waits until its process is gone. */
export async function kill(options: { json?: boolean; quiet?: boolean }): Promise<void> {
  const paths = daemonPaths(home())
  const client = await runningDaemon()
  if (!client) {
    const stale = livePid(paths.pidFile)
    report(options.json, { killed: false, pid: stale }, () =>
      stale ? `daemon pid ${stale} does not answer on ${paths.socket}` : 'no daemon running',
    )
    return
  }
  const { pid } = await client.call<{ pid: number }>('kill')
  await client.closed
  const deadline = Date.now() + 120_000
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  if (!options.quiet) report(options.json, { killed: true, pid }, () => `daemon pid ${pid} stopped`)
}

export async function save(options: { json?: boolean; force?: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const result = await client.call<{ path: string; apps: number }>('save', [{ force: options.force === true }])
    report(options.json, result, () => `saved ${result.apps} app(s) to ${result.path}`)
  })
}

export async function resurrect(options: { json?: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const started = await client.call<ProcessInfo[]>('resurrect')
    if (options.json) return out(JSON.stringify(started))
    if (started.length === 0) return out('nothing to resurrect (every saved app runs, or nothing was saved)')
    // as they are now, not as each was when it came online (a migration has ended by the time the last app is up)
    const ids = new Set(started.map((info) => info.id))
    out(processTable((await client.list()).filter((info) => ids.has(info.id))))
  })
}
