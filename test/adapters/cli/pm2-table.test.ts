/**
 * docs/ecosystem-and-migrating-from-pm2.md's tables of PM2's commands and
 * flags and `tend --help` say the same: every `tend <verb> --flag` a row
 * names exists (unless the row says "(coming: issue N)"), and every tend verb
 * and `start` flag is named in some row.
 */
import { readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../../../src/adapters/cli/program.js'

const doc = readFileSync(new URL('../../../docs/ecosystem-and-migrating-from-pm2.md', import.meta.url), 'utf8')
const section = doc.slice(doc.indexOf('## Every PM2 command and flag'))
const rows = section
  .split('\n')
  .filter((line) => line.startsWith('| ') && !line.startsWith('| ---') && !line.startsWith('| PM2 '))
  .map((line) => {
    const [pm2 = '', tend = ''] = line.split(/(?<!\\)\|/).slice(1)
    return { line, pm2, tend, coming: /\(coming: issue \d+\)/.test(tend) }
  })

/** `tend start --name`, `tend ls -m` → { verb, flags } for each code span in a cell. */
function tendCommands(cell: string): { verb: string; flags: string[] }[] {
  return [...cell.matchAll(/`tend ([^`]+)`/g)].map((match) => {
    const [verb = '', ...rest] = match[1]!.split(/\s+/)
    return { verb, flags: rest.filter((word) => word.startsWith('-')) }
  })
}

const program = buildProgram()
const commands = new Map<string, Command>()
for (const command of program.commands) for (const name of [command.name(), ...command.aliases()]) commands.set(name, command)
const hasFlag = (command: Command, flag: string): boolean =>
  flag === '--help' || flag === '-h' || command.options.some((option) => option.long === flag || option.short === flag)

describe('the PM2 table in the migration guide and tend --help', () => {
  it('finds both tables', () => {
    expect(section).toContain('### Commands')
    expect(section).toContain('### Flags')
    expect(rows.length).toBeGreaterThan(40)
  })

  it('names only verbs and flags tend has, except in rows marked as coming', () => {
    const missing: string[] = []
    for (const row of rows) {
      if (row.coming) continue
      for (const { verb, flags } of tendCommands(row.tend)) {
        if (verb.startsWith('-')) continue // tend --help, tend --version
        const command = commands.get(verb)
        if (!command) missing.push(`tend ${verb} (${row.pm2.trim()})`)
        else for (const flag of flags) if (!hasFlag(command, flag)) missing.push(`tend ${verb} ${flag}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('names every tend verb and every start flag', () => {
    const named = rows.flatMap((row) => tendCommands(row.tend))
    const verbs = new Set(named.map(({ verb }) => commands.get(verb)?.name() ?? verb))
    expect(program.commands.map((command) => command.name()).filter((name) => !verbs.has(name))).toEqual([])
    const start = commands.get('start')!
    const startFlags = new Set(named.filter(({ verb }) => verb === 'start').flatMap(({ flags }) => flags))
    expect(
      start.options.filter((option) => !startFlags.has(option.long!) && !startFlags.has(option.short!)).map((option) => option.long),
    ).toEqual([])
  })

  it("names every command, alias and flag of PM2 7's own CLI (read as text from the devDependency)", () => {
    const source = readFileSync(new URL('../../../node_modules/pm2/lib/binaries/CLI.js', import.meta.url), 'utf8')
    const pm2Cells = rows.map((row) => row.pm2).join(' ')
    const named = new Set([...pm2Cells.matchAll(/`pm2 ([^`\s]+)/g)].map((match) => match[1]!))
    const wildcard = [...named].filter((name) => name.endsWith('*')).map((name) => name.slice(0, -1))
    const commands = [...source.matchAll(/\.(?:command|alias)\('([^' ]+)/g)].map((match) => match[1]!).filter((name) => name !== '*')
    expect(commands.length).toBeGreaterThan(60)
    expect([...new Set(commands)].filter((name) => !named.has(name) && !wildcard.some((prefix) => name.startsWith(prefix)))).toEqual([])
    const flags = new Set(pm2Cells.match(/--[\w-]+/g))
    const pm2Flags = [...source.matchAll(/\.option\('([^']+)'/g)].flatMap((match) => match[1]!.match(/--[\w-]+/g) ?? [])
    expect(pm2Flags.length).toBeGreaterThan(80)
    expect([...new Set(pm2Flags)].filter((flag) => !flags.has(flag))).toEqual([])
  })

  it('marks a row as coming only where tend lacks what it names', () => {
    const needless = rows.filter(
      (row) =>
        row.coming &&
        tendCommands(row.tend).every(({ verb, flags }) => {
          const command = commands.get(verb)
          return command !== undefined && flags.every((flag) => hasFlag(command, flag))
        }),
    )
    expect(needless.map((row) => row.line)).toEqual([])
  })
})
