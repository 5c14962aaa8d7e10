/** The verbs that report: list, describe, logs. */
import { InvalidArgumentError } from '../../errors.js'
import type { LogEvent, LogLine } from '../../types.js'
import { parseTarget, out, report, withDaemon } from './context.js'
import { describeProcess, processTable } from './format.js'

export async function list(options: { json?: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const processes = await client.list()
    report(options.json, processes, () => processTable(processes))
  })
}

export async function describe(target: string, options: { json?: boolean; env?: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const processes = await client.describe(parseTarget(target))
    if (!options.env) return report(options.json, processes, () => processes.map(describeProcess).join('\n\n'))
    // --env: the environment each process runs with, as the daemon computes it
    const environments = new Map((await client.environment(parseTarget(target))).map((entry) => [entry.id, entry.env]))
    const withEnv = processes.map((info) => ({ ...info, environment: environments.get(info.id) ?? {} }))
    report(options.json, withEnv, () =>
      withEnv.map((info) => `${describeProcess(info)}\n${environmentLines(info.environment)}`).join('\n\n'),
    )
  })
}

/** The environment a process runs with, one `KEY=value` a line. */
function environmentLines(env: Readonly<Record<string, string>>): string {
  return ['environment (as the app sees it)', ...Object.entries(env).map(([key, value]) => `  ${key}=${value}`)].join('\n')
}

export interface LogsOptions {
  readonly lines?: string
  readonly follow?: boolean
  readonly err?: boolean
  readonly out?: boolean
  readonly json?: boolean
}

function formatLine(line: LogLine, json: boolean | undefined): string {
  if (json) return JSON.stringify(line)
  return `${line.id}|${line.name}${line.stream === 'err' ? ' (err)' : ''} | ${line.line}`
}

export async function logs(target: string | undefined, options: LogsOptions): Promise<void> {
  const lines = options.lines === undefined ? 20 : Number(options.lines)
  if (!Number.isInteger(lines) || lines < 0) throw new InvalidArgumentError('lines', `--lines takes an integer ≥ 0, got "${options.lines}"`)
  const wanted = (stream: 'out' | 'err'): boolean =>
    options.err && !options.out ? stream === 'err' : options.out && !options.err ? stream === 'out' : true
  await withDaemon(async (client) => {
    const parsed = target === undefined ? 'all' : parseTarget(target)
    const recent = await client.logs(parsed, { lines })
    for (const line of recent) if (wanted(line.stream)) out(formatLine(line, options.json))
    if (!options.follow) return
    // Follow by app name (a restarted process gets a new pid, a scaled app new ids).
    const names = new Set((await client.describe(parsed)).map((info) => info.name))
    const onLine = (payload: LogEvent, event: string): void => {
      const stream = event === 'log:err' ? 'err' : 'out'
      if (!wanted(stream) || !names.has(payload.process.name)) return
      out(formatLine({ id: payload.process.id, name: payload.process.name, stream, line: payload.line, at: payload.at }, options.json))
    }
    await client.on('log:*', onLine as (payload: unknown, event: string) => void)
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      void client.closed.then(stop)
    })
  })
}
