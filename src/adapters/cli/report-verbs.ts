/** The verbs that report: list (ls, l, ps, status), describe (show, info, desc). */
import type { GroupInfo, ProcessDescription, ProcessInfo } from '../../types.js'
import type { SupervisorClient } from '../rpc/client.js'
import type { LastExit } from '../daemon/last-exits.js'
import { isMissingMethod, out, parseTarget, report, usageError, withDaemon } from './context.js'
import { describeProcess } from './describe-text.js'
import { miniList, processTable, SORT_FIELDS, sortProcesses } from './format.js'
import { appSection } from './app-section.js'

export interface ListOptions {
  readonly json?: boolean
  readonly miniList?: boolean
  readonly sort?: string
  readonly color?: boolean
}

export async function list(options: ListOptions): Promise<void> {
  if (options.sort !== undefined && !sortProcesses([], options.sort)) {
    throw usageError(`--sort takes field[:asc|desc] with a field of ${SORT_FIELDS.join(', ')}; got "${options.sort}"`)
  }
  await withDaemon(async (client) => {
    let processes = await client.list()
    if (options.sort !== undefined) processes = sortProcesses(processes, options.sort)!
    if (options.json) return out(JSON.stringify(processes))
    if (options.miniList) return out(miniList(processes) || 'No processes')
    out(processTable(processes, { color: options.color, gaveUp: await gaveUpApps(client) }))
  })
}

/** The apps of supervision groups that gave up (an older daemon has no groups: none). */
async function gaveUpApps(client: SupervisorClient): Promise<ReadonlySet<string>> {
  try {
    return new Set((await client.groups()).filter((group) => group.status === 'errored').flatMap((group) => group.apps))
  } catch (error) {
    if (isMissingMethod(error)) return new Set()
    throw error
  }
}

/** The daemon's record of each process's last exit (an older daemon has none: then only code and signal are shown). */
async function lastExits(client: SupervisorClient, processes: readonly ProcessInfo[]): Promise<Record<number, LastExit>> {
  try {
    return await client.call<Record<number, LastExit>>('lastExits', [processes.map((info) => info.id)])
  } catch (error) {
    if (isMissingMethod(error)) return {}
    throw error
  }
}

/** The supervision groups, by name (an older daemon has none: the group's name alone is shown). */
async function groupsOf(client: SupervisorClient, processes: readonly ProcessDescription[]): Promise<Record<string, GroupInfo>> {
  if (!processes.some((info) => (info.spec.group ?? null) !== null)) return {}
  try {
    return Object.fromEntries((await client.groups()).map((group) => [group.name, group]))
  } catch (error) {
    if (isMissingMethod(error)) return {}
    throw error
  }
}

/** The complete environment of each process, as the daemon computes it (an older daemon has none: the spec's env is shown). */
async function environmentsOf(client: SupervisorClient, target: string): Promise<Record<number, Record<string, string>>> {
  try {
    return Object.fromEntries((await client.environment(parseTarget(target))).map((entry) => [entry.id, { ...entry.env }]))
  } catch (error) {
    if (isMissingMethod(error)) return {}
    throw error
  }
}

export async function describe(target: string, options: { json?: boolean; env?: boolean; color?: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const processes = await client.describe(parseTarget(target))
    const exits = await lastExits(client, processes)
    const environments = options.env ? await environmentsOf(client, target) : {}
    const extra = (info: ProcessDescription) => (options.env ? { environment: environments[info.id] ?? info.spec.env } : {})
    if (options.json) return out(JSON.stringify(processes.map((info) => ({ ...info, lastExit: exits[info.id] ?? null, ...extra(info) }))))
    const groups = await groupsOf(client, processes)
    const fromInside = await appSection(client, processes)
    report(
      false,
      processes,
      () =>
        processes
          .map((info) =>
            describeProcess(info, {
              env: options.env,
              color: options.color,
              lastExit: exits[info.id],
              environment: environments[info.id],
              group: info.spec.group ? groups[info.spec.group] : undefined,
            }),
          )
          .join('\n\n') + fromInside,
    )
  })
}
