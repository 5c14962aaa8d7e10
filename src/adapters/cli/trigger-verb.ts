/** `tend trigger <target> <action> [params-json]`: runs an app's action in each process (PM2's verb). */
import type { Command } from 'commander'
import type { ActionOutcome } from '../../app-metrics/types.js'
import { CliError, out, parseTarget, withDaemon } from './context.js'

export interface TriggerOptions {
  readonly timeout?: string
  readonly json?: boolean
}

function parseParams(text: string | undefined): unknown {
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    // PM2 passes a bare word as the action's parameter: so do we
    return text
  }
}

function outcomeLine(outcome: ActionOutcome): string {
  const who = `${outcome.name}#${outcome.instance} (id ${outcome.id})`
  if (outcome.status === 'fulfilled') return `${who}: ${outcome.value === undefined ? 'done' : JSON.stringify(outcome.value)}`
  return `${who}: ${outcome.reason.message} (${outcome.reason.code})`
}

export async function trigger(target: string, action: string, params: string | undefined, options: TriggerOptions): Promise<void> {
  const timeout = options.timeout === undefined ? undefined : Number(options.timeout)
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout <= 0)) {
    throw new CliError(`--timeout takes milliseconds (an integer > 0), got "${options.timeout}"`)
  }
  const outcomes = await withDaemon((client) =>
    client.invoke(parseTarget(target), action, parseParams(params), timeout === undefined ? {} : { timeout }),
  )
  out(options.json ? JSON.stringify(outcomes) : outcomes.map(outcomeLine).join('\n'))
  const failed = outcomes.filter((outcome) => outcome.status === 'rejected').length
  if (failed === 0) return
  const error = new CliError(`${failed} of ${outcomes.length} process(es) failed "${action}"`)
  // Under --json stdout already holds the one JSON document (the outcomes, failures included): only the line on stderr.
  if (!options.json) throw error
  process.stderr.write(`tend: ${error.message} (${error.code})\n`)
  process.exitCode = 1
}

export function registerTrigger(program: Command): void {
  program
    .command('trigger')
    .description("run an action the app registered (tendjs/app's actions.register, or @pm2/io's io.action) in each process")
    .argument('<target>', 'an id, an app name, a namespace or all')
    .argument('<action>')
    .argument('[params-json]', 'the parameters, as JSON (a bare word is passed as a string)')
    .option('--timeout <ms>', 'how long to wait for each process', '10000')
    .option('--json', 'print one JSON array of outcomes')
    .action(trigger)
}
