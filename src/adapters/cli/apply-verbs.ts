/**
 * Starting what may already run, as PM2 users expect: `start` over running
 * apps applies the file, `start <script> --name X` refuses to replace
 * another script unless `-f`, `startOrRestart`/`startOrReload`/
 * `startOrGracefulReload`; and `apply`, the file as the desired state.
 */
import { defaultName } from '../../config/normalize.js'
import { ExistsError } from '../../errors.js'
import type { AppliedApp } from '../../apply/apply.js'
import { diffGroups, type GroupChange } from '../../groups/group-diff.js'
import { normalizeGroups } from '../../groups/group-options.js'
import type { AppSpec, GroupInfo, GroupSpec, ProcessInfo } from '../../types.js'
import type { SupervisorClient } from '../rpc/client.js'
import { CliError, isMissingMethod, out, report, warn, withDaemon } from './context.js'
import { processTable } from './format.js'
import { appsForStart, defineGroups } from './process-verbs.js'

/** The CLI's own environment, which apps inherit (as in PM2). */
export function cliEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

async function apply(client: SupervisorClient, specs: AppSpec[], options: { prune?: boolean; dryRun?: boolean }): Promise<AppliedApp[]> {
  try {
    return await client.apply(specs, options)
  } catch (error) {
    if (isMissingMethod(error))
      throw new CliError('"apply" is not available in this version of the tend daemon; run tend kill, then try again')
    throw error
  }
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** One app's diff and what was done, for people. */
export function describeApplied(result: AppliedApp, dryRun = false): string {
  const { diff } = result
  const did = result.actions.map((action) => (dryRun ? `would ${action}` : action)).join(', then ')
  let head: string
  if (diff.change === 'removed' && result.actions.length === 0 && !result.error)
    head = `${result.name}: not in the file; kept (--prune deletes it)`
  else if (diff.change === 'unchanged') head = `${result.name}: unchanged${did ? `; ${did}` : ''}`
  else head = `${result.name}: ${diff.change}${did ? `; ${did}` : ''}`
  const lines = [result.error ? `${head}; FAILED: ${result.error.message} (${result.error.code})` : head]
  for (const change of diff.keys) lines.push(`  ~ ${change.key}: ${show(change.from)} -> ${show(change.to)}`)
  if (diff.instances) lines.push(`  ~ instances: ${diff.instances.from} -> ${diff.instances.to}`)
  for (const key of diff.env.added) lines.push(`  + env.${key}`)
  for (const key of diff.env.removed) lines.push(`  - env.${key}`)
  for (const change of diff.env.changed) lines.push(`  ~ env.${change.key}: ${show(change.from)} -> ${show(change.to)}`)
  return lines.join('\n')
}

/** What declaring the file's groups changes on the daemon (an older daemon has no groups: nothing to compare). */
async function groupChanges(client: SupervisorClient, groups: Readonly<Record<string, GroupSpec>>): Promise<GroupChange[]> {
  if (Object.keys(groups).length === 0) return []
  let running: GroupInfo[] = []
  try {
    running = await client.groups()
  } catch (error) {
    if (!isMissingMethod(error)) throw error
  }
  return diffGroups(running, normalizeGroups(groups))
}

/** `group backend: added`, `group backend: changed` with a line per field, as describeApplied writes an app's. */
export function describeGroupChanges(changes: readonly GroupChange[], dryRun = false): string[] {
  return changes.flatMap((group) => [
    `group ${group.name}: ${dryRun ? `would be ${group.change}` : group.change}`,
    ...group.fields.map((field) => `  ~ ${field.key}: ${field.from} -> ${field.to}`),
  ])
}

function failIfAnyFailed(results: readonly AppliedApp[]): void {
  const failed = results.filter((result) => result.error)
  if (failed.length === 0) return
  // One failure keeps its own code and message (TEND_ERR_LISTEN, TEND_ERR_READY_TIMEOUT…); several are named in one line.
  if (failed.length === 1) {
    const [{ name, error }] = failed as [AppliedApp & { error: { code: string; message: string } }]
    throw Object.assign(new Error(`${name}: ${error.message}`), { code: error.code })
  }
  throw new CliError(
    `apply failed for ${failed.map((result) => `${result.name} (${result.error!.code}: ${result.error!.message})`).join(', ')}`,
  )
}

export interface ApplyVerbOptions {
  readonly env?: string
  readonly only?: string
  readonly dryRun?: boolean
  readonly prune?: boolean
  readonly json?: boolean
}

/** `tend apply <ecosystem>`: the file is the desired state. */
export async function applyVerb(file: string, options: ApplyVerbOptions): Promise<void> {
  const { specs, groups } = await appsForStart(file, [], { env: options.env, only: options.only, ecosystemOnly: true })
  await withDaemon(async (client) => {
    const groupLines = options.json ? [] : describeGroupChanges(await groupChanges(client, groups), options.dryRun)
    if (!options.dryRun) await defineGroups(client, groups)
    const results = await apply(client, specs, { prune: options.prune, dryRun: options.dryRun })
    report(options.json, results, () => [...groupLines, ...results.map((result) => describeApplied(result, options.dryRun))].join('\n'))
    failIfAnyFailed(results)
  })
}

/**
 * `tend start` when some of the apps may already run. An ecosystem file is
 * applied (new apps start, changed ones reload or restart with the new spec
 * and environment, unchanged ones keep running). A script given a name that
 * runs another script is refused unless `force`, which replaces it; the same
 * script again restarts it, as PM2 does.
 */
export async function startOver(
  client: SupervisorClient,
  specs: AppSpec[],
  options: { fromEcosystem: boolean; force?: boolean; json?: boolean; silent?: boolean },
): Promise<void> {
  if (!options.fromEcosystem) {
    const spec = specs[0]!
    const name = spec.name ?? defaultName(spec.script)
    const [current] = (await client.list()).some((info) => info.name === name) ? await client.describe(name) : []
    if (current && !options.force) {
      if (current.spec.script !== spec.script && !(current.spec.interpreter === null && current.spec.script.endsWith(`/${spec.script}`))) {
        throw new ExistsError(
          current.name,
          `it runs ${current.spec.script}, not ${spec.script}: add -f (--force) to replace it, or pick another --name`,
        )
      }
      const acted = await client.restart(current.name)
      if (!options.silent) report(options.json, acted, () => processTable(acted))
      return
    }
  }
  const named = new Set(specs.map((spec) => spec.name))
  // apps the file does not name are no business of start
  const applied = (await apply(client, specs, {})).filter((result) => result.diff.change !== 'removed' || named.has(result.name))
  // start means running: an unchanged app that is stopped or errored starts again
  const results: AppliedApp[] = []
  for (const result of applied) {
    const down =
      result.diff.change === 'unchanged' && result.processes.some((info) => info.status === 'stopped' || info.status === 'errored')
    if (!down) results.push(result)
    else results.push({ ...result, actions: ['restart'], processes: await client.restart(result.name) })
  }
  if (options.silent) {
    // nothing on success (-s)
  } else if (options.json) {
    const processes: ProcessInfo[] = results.flatMap((result) => [...result.processes])
    report(true, processes, () => '')
  } else {
    for (const result of results) out(describeApplied(result))
    out(processTable(results.flatMap((result) => [...result.processes])))
  }
  const unconfirmed = results.flatMap((result) => result.processes).filter((info) => info.confirmedReady === false)
  if (unconfirmed.length > 0)
    warn(
      `online, not confirmed ready (no listen or 'ready' within listen_timeout): ${unconfirmed
        .map((info) => `${info.name} (id ${info.id})`)
        .join(', ')}; see tend describe`,
    )
  const errored = results.flatMap((result) => result.processes).filter((info) => info.status === 'errored')
  if (errored.length > 0)
    warn(`errored: ${errored.map((info) => `${info.name} (id ${info.id})`).join(', ')}; see tend describe / tend logs`)
  failIfAnyFailed(results)
}

type StartOrVerb = 'restart' | 'reload'

/**
 * PM2's `startOrRestart` / `startOrReload` / `startOrGracefulReload`: apps of
 * the file that do not run start; running ones take the file's spec (applied)
 * and are restarted or reloaded even when nothing changed.
 */
export async function startOr(verb: StartOrVerb, file: string, options: { env?: string; only?: string; json?: boolean }): Promise<void> {
  const { specs, groups } = await appsForStart(file, [], { env: options.env, only: options.only, ecosystemOnly: true })
  await withDaemon(async (client) => {
    await defineGroups(client, groups)
    const named = new Set(specs.map((spec) => spec.name))
    const results = (await apply(client, specs, {})).filter((result) => result.diff.change !== 'removed' || named.has(result.name))
    failIfAnyFailed(results)
    const untouched = results.filter((result) => result.diff.change === 'unchanged').map((result) => result.name)
    const again = untouched.length > 0 ? await client[verb](untouched) : []
    const byName = new Map(again.map((info) => [info.name, info]))
    const processes = results.flatMap((result) =>
      byName.has(result.name) ? again.filter((info) => info.name === result.name) : result.processes,
    )
    report(options.json, processes, () =>
      [
        ...results.map((result) =>
          result.diff.change === 'unchanged' ? `${result.name}: ${verb === 'reload' ? 'reloaded' : 'restarted'}` : describeApplied(result),
        ),
        processTable(processes),
      ].join('\n'),
    )
  })
}

/** `restart`/`reload --update-env`: the CLI's environment over each app's, as PM2. */
export function updateEnvOption(updateEnv: boolean | undefined): { env: Record<string, string> } | undefined {
  return updateEnv ? { env: cliEnv() } : undefined
}
