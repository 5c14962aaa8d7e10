/** PM2's small lookup verbs: env <id>, pid [name], id <name>, jlist, prettylist. */
import type { Command } from 'commander'
import { out, parseTarget, withDaemon } from './context.js'

/** `tend env <id>`: the environment a process runs with (its spec's env and instance variables; secrets as [redacted]). */
async function env(target: string): Promise<void> {
  await withDaemon(async (client) => {
    const processes = await client.describe(parseTarget(target))
    const blocks = processes.map((info) => {
      const vars: Record<string, string> = { ...info.spec.env, [info.spec.instanceVar]: String(info.instance) }
      const { incrementVar } = info.spec
      if (incrementVar && vars[incrementVar] !== undefined) vars[incrementVar] = String(Number(vars[incrementVar]) + info.instance)
      const lines = Object.entries(vars)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => `${key}=${value}`)
      return processes.length > 1 ? [`# ${info.name} (id ${info.id})`, ...lines].join('\n') : lines.join('\n')
    })
    out(blocks.join('\n\n'))
  })
}

/** `tend pid [name]`: the pids of the running processes, one a line. */
async function pid(target: string | undefined): Promise<void> {
  await withDaemon(async (client) => {
    const processes = await client.describe(target === undefined ? 'all' : parseTarget(target))
    const pids = processes.flatMap((info) => (info.pid === null ? [] : [String(info.pid)]))
    if (pids.length > 0) out(pids.join('\n'))
  })
}

/** `tend id <name>`: the ids of an app's processes, as a JSON array (PM2 prints an array too). */
async function id(target: string): Promise<void> {
  await withDaemon(async (client) => {
    out(JSON.stringify((await client.describe(parseTarget(target))).map((info) => info.id)))
  })
}

async function jsonList(pretty: boolean): Promise<void> {
  await withDaemon(async (client) => out(JSON.stringify(await client.list(), null, pretty ? 2 : undefined)))
}

export function inspectVerbs(program: Command): void {
  program
    .command('env')
    .description('print the environment of a process (secret-looking values as [redacted])')
    .argument('<id>')
    .action(env)
  program.command('pid').description('print the pids of the running processes of an app (all by default)').argument('[name]').action(pid)
  program.command('id').description('print the ids of the processes of an app, as a JSON array').argument('<name>').action(id)
  program
    .command('jlist')
    .description('print every process as a JSON array (tend ls --json)')
    .action(() => jsonList(false))
  program
    .command('prettylist')
    .description('print every process as indented JSON')
    .action(() => jsonList(true))
}
