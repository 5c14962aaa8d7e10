/** `tend metrics`: the daemon's Prometheus exposition (tend's figures and the apps' custom metrics) on stdout. */
import type { Command } from 'commander'
import { out, parseTarget, withDaemon } from './context.js'

export async function metrics(target: string | undefined, options: { json?: boolean }): Promise<void> {
  const text = await withDaemon(async (client) =>
    options.json ? JSON.stringify(await client.metrics(target === undefined ? 'all' : parseTarget(target))) : client.prometheus(),
  )
  out(text)
}

export function registerMetrics(program: Command): void {
  program
    .command('metrics')
    .description('print the Prometheus text of every process (with --json: the custom metrics and actions of a target)')
    .argument('[target]', 'with --json: an id, an app name, a namespace or all')
    .option('--json', 'print the custom metrics and actions as JSON instead')
    .action(metrics)
}
