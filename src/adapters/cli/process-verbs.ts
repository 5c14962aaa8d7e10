/** The verbs that act on apps through the daemon: start, stop, restart, reload, delete, scale, signal, flush. */
import { existsSync } from 'node:fs'
import { basename, extname, join, resolve } from 'node:path'
import { SPEC_KEYS } from '../../config/normalize.js'
import type { AppSpec, GroupSpec, ProcessInfo } from '../../types.js'
import type { SupervisorClient } from '../rpc/client.js'
import { CliError, home, isMissingMethod, parseTarget, report, usageError, warn, withDaemon } from './context.js'
import { specFromFlags } from './start-options.js'
import { processTable } from './format.js'
import { startOver, updateEnvOption } from './apply-verbs.js'

export interface StartOptions {
  readonly name?: string
  readonly instances?: string
  readonly fork?: boolean
  readonly executeCommand?: boolean
  readonly watch?: boolean | string
  readonly env?: string
  readonly only?: string
  readonly namespace?: string
  readonly interpreter?: string
  readonly nodeArgs?: string
  readonly interpreterArgs?: string
  readonly sourceMapSupport?: boolean
  readonly log?: boolean | string
  readonly cwd?: string
  readonly silent?: boolean
  readonly json?: boolean
  /** Replace an app of the same name that runs another script (PM2's -f). */
  readonly force?: boolean
  /** Refuse a script: only an ecosystem file will do (apply, startOrRestart…). */
  readonly ecosystemOnly?: boolean
  /** The flags of START_FLAGS, by attribute name. */
  readonly [flag: string]: unknown
}

/** Does `start` read this file as apps (an ecosystem file) rather than run it? */
export async function isEcosystemFile(file: string): Promise<boolean> {
  const path = resolve(file)
  const { isAppDataFile, looksLikeEcosystem } = await import('../../ecosystem/load.js')
  // A data file is an app declaration or an error, never a script to run.
  return isAppDataFile(path) || (existsSync(path) && looksLikeEcosystem(path))
}

const NODE_EXTENSIONS = new Set(['.js', '.cjs', '.mjs'])

/** The spec fields every app gets from the flags given, whether it comes from a script or an ecosystem file. */
function sharedFields(options: StartOptions, name: string | undefined): Record<string, unknown> {
  const spec: Record<string, unknown> = { ...specFromFlags(options) }
  if (options.namespace) spec.namespace = options.namespace
  const interpreterArgs = [options.nodeArgs, options.interpreterArgs].filter(Boolean).join(' ')
  if (interpreterArgs || options.sourceMapSupport)
    spec.interpreterArgs = [interpreterArgs, options.sourceMapSupport ? '--enable-source-maps' : ''].filter(Boolean).join(' ')
  if (options.watch !== undefined) {
    if (!SPEC_KEYS.includes('watch')) throw new CliError('--watch is not available in this version of tend')
    // --watch alone watches the cwd; --watch src,config watches those paths.
    spec.watch = options.watch === true ? true : String(options.watch).split(',').filter(Boolean)
  }
  // -l alone: one combined file per app in TEND_HOME/logs, as PM2 does.
  if (typeof options.log === 'string') spec.logFile = resolve(options.log)
  else if (options.log === true) spec.logFile = join(home(), 'logs', `${name ?? 'app'}.log`)
  for (const key of ['outFile', 'errorFile'] as const) if (typeof spec[key] === 'string') spec[key] = resolve(spec[key])
  return spec
}

/** The specs `tend start` asks for, from an ecosystem file or a script and flags. */
export async function specsForStart(file: string, args: readonly string[], options: StartOptions): Promise<AppSpec[]> {
  return (await appsForStart(file, args, options)).specs
}

/** What `tend start` sends: the specs, and the supervision groups an ecosystem file declares ({} for a script). */
export async function appsForStart(
  file: string,
  args: readonly string[],
  options: StartOptions,
): Promise<{ specs: AppSpec[]; groups: Readonly<Record<string, GroupSpec>> }> {
  const path = resolve(file)
  // Loaded here: the ecosystem loader (YAML, JSON5) is for start alone, not for ls.
  const { loadEcosystem } = await import('../../ecosystem/load.js')
  let specs: AppSpec[]
  let groups: Readonly<Record<string, GroupSpec>> = {}
  if (await isEcosystemFile(file)) {
    const ecosystem = await loadEcosystem(path, { env: options.env, only: options.only?.split(',').map((name) => name.trim()) })
    for (const warning of ecosystem.warnings) warn(`${path}: ${warning}`)
    groups = ecosystem.groups
    // Flags given on the command line override the file's keys, for every app.
    specs = ecosystem.apps.map((spec) => ({ ...spec, ...sharedFields(options, spec.name) }))
  } else {
    if (options.ecosystemOnly)
      throw usageError(`${file} is not an ecosystem file (.js, .cjs, .mjs with apps, or .json, .json5, .yml, .yaml)`)
    if (options.env || options.only) throw usageError(`--env and --only apply to ecosystem files; ${file} is a script`)
    const interpreter = options.interpreter
    // --interpreter none runs a command: one not in the cwd is looked up on PATH, as a shell would.
    const fromPath = interpreter === 'none' && !file.includes('/') && !existsSync(path)
    const isNode = interpreter === undefined ? NODE_EXTENSIONS.has(extname(path).toLowerCase()) : interpreter === 'node'
    const name = options.name ?? basename(path, extname(path))
    const spec: Record<string, unknown> = {
      script: fromPath ? file : path,
      cwd: options.cwd ? resolve(options.cwd) : process.cwd(),
      args: [...args],
      ...sharedFields(options, name),
    }
    if (options.name) spec.name = options.name
    if (interpreter) spec.interpreter = interpreter
    if (options.instances !== undefined) {
      spec.instances = /^-?\d+$/.test(options.instances) ? Number(options.instances) : options.instances
      // As in PM2: -i on a node script means cluster mode, unless --fork (or -x).
      if (isNode && !options.fork && !options.executeCommand) spec.mode = 'cluster'
    }
    specs = [spec as unknown as AppSpec]
  }
  // Like PM2, apps get the environment of the CLI that starts them, with the spec's env over it.
  const cliEnv = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined))
  return { specs: specs.map((spec) => ({ ...spec, env: { ...cliEnv, ...spec.env } })), groups }
}

/** Declares an ecosystem file's groups on the daemon, before the apps that name them are started or applied. */
export async function defineGroups(client: SupervisorClient, groups: Readonly<Record<string, GroupSpec>>): Promise<void> {
  if (Object.keys(groups).length === 0) return
  try {
    await client.defineGroups(groups)
  } catch (error) {
    if (isMissingMethod(error))
      throw new CliError('groups are not available in this version of the tend daemon; run tend kill, then try again')
    throw error
  }
}

export async function start(file: string, args: readonly string[], options: StartOptions): Promise<void> {
  const { specs, groups } = await appsForStart(file, args, options)
  const fromEcosystem = await isEcosystemFile(file)
  await withDaemon(async (client) => {
    await defineGroups(client, groups)
    await startOver(client, specs, { fromEcosystem, force: options.force, json: options.json, silent: options.silent })
  })
}

type TargetVerb = 'stop' | 'restart' | 'reload' | 'delete'

export async function targetVerb(verb: TargetVerb, target: string, options: { json?: boolean; updateEnv?: boolean }): Promise<void> {
  const extra = verb === 'restart' || verb === 'reload' ? updateEnvOption(options.updateEnv) : undefined
  await withDaemon(async (client) => {
    const acted = await call<ProcessInfo[]>(client, verb, extra ? [parseTarget(target), extra] : [parseTarget(target)])
    report(options.json, acted, () => {
      const done = { stop: 'stopped', restart: 'restarted', reload: 'reloaded', delete: 'deleted' }[verb]
      return verb === 'delete' ? `${done} ${acted.length} process(es)` : processTable(acted)
    })
  })
}

export async function scale(name: string, count: string, options: { json?: boolean }): Promise<void> {
  if (!/^[+-]?\d+$/.test(count)) throw usageError(`scale takes a number, +n or -n, got "${count}"`)
  const value = /^\d+$/.test(count) ? Number(count) : count
  await withDaemon(async (client) => {
    const processes = await call<ProcessInfo[]>(client, 'scale', [name, value])
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
