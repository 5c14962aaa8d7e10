/** PM2's `reset <target>` (restart counters to 0) and `send <id> <line>` (a line to the process's stdin). */
import type { Command } from 'commander'
import type { ProcessInfo } from '../../types.js'
import { CliError, isMissingMethod, parseTarget, report, withDaemon } from './context.js'
import { processTable } from './format.js'
import type { SupervisorClient } from '../rpc/client.js'

async function call(client: SupervisorClient, method: 'reset' | 'sendLine', params: unknown[]): Promise<ProcessInfo[]> {
  try {
    return await client.call<ProcessInfo[]>(method, params)
  } catch (error) {
    if (isMissingMethod(error))
      throw new CliError(`"${method}" is not available in the running daemon; tend update restarts it with this version`)
    throw error
  }
}

async function reset(target: string, options: { json?: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const acted = await call(client, 'reset', [parseTarget(target)])
    report(options.json, acted, () => processTable(acted))
  })
}

async function send(target: string, words: string[], options: { json?: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const acted = await call(client, 'sendLine', [parseTarget(target), words.join(' ')])
    report(options.json, acted, () =>
      acted.length === 0
        ? 'no running process to write to'
        : `wrote a line to the stdin of ${acted.map((info) => `${info.name} (id ${info.id})`).join(', ')}`,
    )
  })
}

export function controlVerbs(program: Command): void {
  program
    .command('reset')
    .description('set the restart counters of a target back to 0 (the crash-loop history stays)')
    .argument('<target>')
    .option('--json', 'print JSON instead of text')
    .action(reset)
  program
    .command('send')
    .description("write a line (and a newline) to the stdin of a target's running processes")
    .argument('<target>', 'an id, app name, namespace or all')
    .argument('<line...>', 'the words of the line, joined by spaces')
    .option('--json', 'print JSON instead of text')
    .action(send)
}
