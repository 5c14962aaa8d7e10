/**
 * `tend dashboard`: the web dashboard of the daemon, served from this
 * process (a small HTTP server that talks to the daemon over its RPC
 * socket), until Ctrl-C or until the daemon goes away.
 */
import { spawn } from 'node:child_process'
import { Command } from 'commander'
import { CliError, daemon, home, out, warn } from './context.js'

export interface DashboardVerbOptions {
  readonly port?: string
  readonly host?: string
  readonly open?: boolean
}

/** A port number from an option (0 = any free port). */
export function parsePort(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new CliError(`${option} takes a port number (0-65535), got "${value}"`, { exitCode: 2 })
  return port
}

/** The warning every dashboard that listens beyond loopback prints. */
export function exposedWarning(host: string): string {
  return `the dashboard listens on ${host}, beyond loopback: anyone who can reach it and has the token can stop and delete your processes`
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  const child = spawn(command, [url], { detached: true, stdio: 'ignore' })
  child.once('error', () => warn(`could not open a browser (${command}); open the URL above yourself`))
  child.unref()
}

export async function dashboard(options: DashboardVerbOptions): Promise<void> {
  const port = parsePort('--port', options.port)
  const client = await daemon()
  try {
    // Loaded only by this verb (and the runtime's --dashboard-port).
    const { serveDashboard } = await import('../dashboard/server.js')
    const { clientSource } = await import('../dashboard/source.js')
    const server = await serveDashboard({
      source: clientSource(client),
      port,
      host: options.host,
      token: process.env.TEND_DASHBOARD_TOKEN || undefined,
      label: home(),
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new CliError(`Port ${port ?? 9616} is in use: pick another with --port (0 picks a free one)`)
      throw error
    })
    if (!server.loopback) warn(exposedWarning(server.host))
    out(`tend dashboard: ${server.url}`)
    if (options.open) openInBrowser(server.url)
    const ended = await new Promise<'signal' | 'daemon'>((resolve) => {
      process.once('SIGINT', () => resolve('signal'))
      process.once('SIGTERM', () => resolve('signal'))
      void client.closed.then(() => resolve('daemon'))
    })
    await server.close()
    if (ended === 'daemon') throw new CliError('The tend daemon went away; the dashboard has stopped')
  } finally {
    await client.close()
  }
}

export function dashboardCommand(): Command {
  return new Command('dashboard')
    .description('serve the web dashboard of the daemon (prints its URL with a token)')
    .option('--port <port>', 'port (0 picks a free one)', '9616')
    .option('--host <host>', 'address to listen on (beyond loopback prints a warning)', '127.0.0.1')
    .option('--open', 'open it in the browser')
    .action(dashboard)
}
