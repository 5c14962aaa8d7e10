/** The verbs that act on apps through the daemon: start, stop, restart, reload, delete, scale, signal, flush. */
import { existsSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { loadEcosystem, looksLikeEcosystem } from '../../ecosystem/load.js'
import { SPEC_KEYS } from '../../config/normalize.js'
import type { AppSpec, ProcessInfo } from '../../types.js'
import type { SupervisorClient } from '../rpc/client.js'
import { CliError, isMissingMethod, parseTarget, report, warn, withDaemon } from './context.js'
import { processTable } from './format.js'

export interface StartOptions {
  readonly name?: string
  readonly instances?: string
  readonly fork?: boolean
  readonly watch?: boolean
  readonly env?: string
  readonly only?: string
  readonly namespace?: string
  readonly interpreter?: string
  readonly nodeArgs?: string
  readonly cwd?: string
  /** `--listen`, repeatable: sockets tend holds for the app (docs/zero-downtime.md). */
  readonly listen?: readonly string[]
  readonly json?: boolean
}

const NODE_EXTENSIONS = new Set(['.js', '.cjs', '.mjs'])

/** The specs `tend start` asks for, from an ecosystem file or a script and flags. */
export async function specsForStart(file: string, args: readonly string[], options: StartOptions): Promise<AppSpec[]> {
  const path = resolve(file)
  let specs: AppSpec[]
  if (existsSync(path) && looksLikeEcosystem(path)) {
    const ecosystem = await loadEcosystem(path, { env: options.env, only: options.only?.split(',').map((name) => name.trim()) })
    for (const warning of ecosystem.warnings) warn(`${path}: ${warning}`)
    specs = ecosystem.apps
    if (options.namespace) specs = specs.map((spec) => ({ ...spec, namespace: options.namespace }))
    if (options.listen?.length) throw new CliError(`--listen applies to a script; set listen in ${file} for its apps`)
  } else {
    if (options.env || options.only) throw new CliError(`--env and --only apply to ecosystem files; ${file} is a script`)
    const interpreter = options.interpreter
    const isNode = interpreter === undefined ? NODE_EXTENSIONS.has(extname(path).toLowerCase()) : interpreter === 'node'
    const spec: Record<string, unknown> = {
      script: path,
      cwd: options.cwd ? resolve(options.cwd) : process.cwd(),
      args: [...args],
    }
    if (options.name) spec.name = options.name
    if (options.namespace) spec.namespace = options.namespace
    if (interpreter) spec.interpreter = interpreter
    if (options.nodeArgs) spec.interpreterArgs = options.nodeArgs
    if (options.listen?.length) spec.listen = options.listen.length === 1 ? options.listen[0] : [...options.listen]
    if (options.instances !== undefined) {
      spec.instances = /^-?\d+$/.test(options.instances) ? Number(options.instances) : options.instances
      // As in PM2: -i on a node script means cluster mode, unless --fork.
      if (isNode && !options.fork) spec.mode = 'cluster'
    }
    if (options.watch) {
      if (!SPEC_KEYS.includes('watch')) throw new CliError('--watch is not available in this version of tend')
      spec.watch = true
    }
    specs = [spec as unknown as AppSpec]
  }
  // Like PM2, apps get the environment of the CLI that starts them, with the spec's env over it.
  const cliEnv = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined))
  return specs.map((spec) => ({ ...spec, env: { ...cliEnv, ...spec.env } }))
}

export async function start(file: string, args: readonly string[], options: StartOptions): Promise<void> {
  const specs = await specsForStart(file, args, options)
  await withDaemon(async (client) => {
    const existing = new Set((await client.list()).map((info) => info.name))
    const fresh = specs.filter((spec) => spec.name === undefined || !existing.has(spec.name))
    const again = specs.filter((spec) => spec.name !== undefined && existing.has(spec.name)).map((spec) => spec.name!)
    const acted: ProcessInfo[] = []
    // An app that already runs is restarted, as PM2's start does.
    if (again.length > 0) acted.push(...(await client.restart(again)))
    if (fresh.length > 0) acted.push(...(await startReportingFailures(client, fresh)))
    report(options.json, acted, () => processTable(acted))
  })
}

/** A failed start leaves errored processes listed; say which before the error line. */
async function startReportingFailures(client: SupervisorClient, specs: AppSpec[]): Promise<ProcessInfo[]> {
  try {
    return await client.start(specs)
  } catch (error) {
    const names = new Set(specs.map((spec) => spec.name))
    const errored = (await client.list()).filter((info) => names.has(info.name) && info.status === 'errored')
    if (errored.length > 0)
      warn(`errored: ${errored.map((info) => `${info.name} (id ${info.id})`).join(', ')}; see tend describe / tend logs`)
    throw error
  }
}

type TargetVerb = 'stop' | 'restart' | 'reload' | 'delete'

export async function targetVerb(verb: TargetVerb, target: string, options: { json?: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const acted = await call<ProcessInfo[]>(client, verb, [parseTarget(target)])
    report(options.json, acted, () => {
      const done = { stop: 'stopped', restart: 'restarted', reload: 'reloaded', delete: 'deleted' }[verb]
      return verb === 'delete' ? `${done} ${acted.length} process(es)` : processTable(acted)
    })
  })
}

export async function scale(name: string, count: string, options: { json?: boolean }): Promise<void> {
  if (!/^[+-]?\d+$/.test(count)) throw new CliError(`scale takes a number, +n or -n, got "${count}"`)
  const value = /^\d+$/.test(count) ? Number(count) : count
  await withDaemon(async (client) => {
    await call(client, 'scale', [name, value])
    const processes = await client.describe(name)
    report(options.json, processes, () => processTable(processes))
  })
}

export async function signal(signalName: string, target: string, options: { json?: boolean }): Promise<void> {
  const name = signalName.toUpperCase().startsWith('SIG') ? signalName.toUpperCase() : `SIG${signalName.toUpperCase()}`
  await withDaemon(async (client) => {
    const acted = await client.signal(parseTarget(target), name as NodeJS.Signals)
    report(
      options.json,
      acted,
      () => `sent ${name} to ${acted.map((info) => `${info.name}#${info.instance} (pid ${info.pid})`).join(', ') || 'no running process'}`,
    )
  })
}

export async function flush(target: string | undefined, options: { json?: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const result = await call(client, 'flushLogs', [target === undefined ? 'all' : parseTarget(target)])
    report(options.json, result ?? null, () => `flushed logs of ${target ?? 'all'}`)
  })
}

export async function reloadLogs(options: { json?: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    await call(client, 'reopenLogs', [])
    report(options.json, { reopened: true }, () => 'reopened every log file')
  })
}

/** Calls a method by name; one this daemon lacks is reported plainly. */
async function call<T = unknown>(client: SupervisorClient, method: string, params: readonly unknown[]): Promise<T> {
  try {
    return await client.call<T>(method, params)
  } catch (error) {
    if (isMissingMethod(error)) throw new CliError(`"${method}" is not available in this version of tend`)
    throw error
  }
}
