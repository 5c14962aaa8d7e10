/**
 * `tend start` as a PM2 user types it: app files in every shape PM2 reads,
 * the environment an app gets, commands from PATH, TypeScript, a name that
 * runs another script, and starting (or applying) a file over running apps.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AppliedApp, ProcessDescription, ProcessInfo } from '../../../src/index.js'
import { freePort } from '../../http-load.js'
import { fixture, fixturesDir } from '../../helpers.js'
import { tendHome, type TendHome } from './cli-helpers.js'

/** Polls `tend logs` until a line matches. */
async function waitForLog(tend: TendHome, target: string, pattern: RegExp): Promise<string[]> {
  const deadline = Date.now() + 60_000
  let lines: string[] = []
  while (Date.now() < deadline) {
    lines = (await tend.run(['logs', target, '--lines', '200'])).stdout.split('\n').map((line) => line.replace(/^\d+\|[^|]+\| /, ''))
    if (lines.some((line) => pattern.test(line))) return lines
  }
  throw new Error(`no line of ${target} matched ${pattern}; got ${JSON.stringify(lines)}`)
}

/** `tend <args> --json -- <script args>`: --json must come before the `--`. */
async function jsonWithArgs(tend: TendHome, args: string[], scriptArgs: string[], env?: Record<string, string>): Promise<ProcessInfo[]> {
  const result = await tend.run([...args, '--json', '--', ...scriptArgs], { env })
  if (result.code !== 0) throw new Error(`tend ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  const parsed = JSON.parse(result.stdout) as ProcessInfo[]
  tend.track(...parsed.map((info) => info.pid))
  return parsed
}

describe('tend start, as PM2 users use it', { timeout: 240_000 }, () => {
  it('starts app files without the word "apps" (one app object, a bare JSON list, a bare YAML list), and refuses one that declares none', async () => {
    const tend = tendHome()
    const script = JSON.stringify(fixture('long-running.cjs'))
    writeFileSync(join(tend.home, 'one.json'), `{ "name": "one", "script": ${script} }`)
    writeFileSync(join(tend.home, 'list.json'), `[{ "name": "two", "script": ${script} }, { "name": "three", "script": ${script} }]`)
    writeFileSync(join(tend.home, 'list.yml'), `- name: four\n  script: ${script}\n`)
    writeFileSync(join(tend.home, 'nothing.json'), `{ "port": 3000 }`)
    for (const file of ['one.json', 'list.json', 'list.yml']) await tend.json(['start', join(tend.home, file)])
    const listed = await tend.json<ProcessDescription[]>(['describe', 'all'])
    expect(listed.map((info) => [info.name, info.status, info.spec.script])).toEqual([
      ['one', 'online', fixture('long-running.cjs')],
      ['two', 'online', fixture('long-running.cjs')],
      ['three', 'online', fixture('long-running.cjs')],
      ['four', 'online', fixture('long-running.cjs')],
    ])
    const refused = await tend.run(['start', join(tend.home, 'nothing.json')])
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('declares no app: expected an "apps" list, a list of apps, or one app object with "script"')
    // a key two edits from a PM2 key is no typo of it: no "did you mean pmx?"
    writeFileSync(join(tend.home, 'max.json'), `{ "name": "five", "script": ${script}, "max": 2 }`)
    const unknown = await tend.run(['start', join(tend.home, 'max.json')])
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr).toContain('Unknown option "max" in app "five"')
    expect(unknown.stderr).not.toContain('did you mean')
    expect(await tend.json<ProcessInfo[]>(['list'])).toHaveLength(4)
  })

  it("gives an app the starting CLI's environment, never the daemon's, and describe --env shows it", async () => {
    const tend = tendHome()
    // the shell that first starts the daemon has LEAKME
    expect((await tend.run(['ping'], { env: { LEAKME: 'from-the-daemon-shell' } })).code).toBe(0)
    await jsonWithArgs(tend, ['start', fixture('print-env.cjs'), '--name', 'env'], ['LEAKME', 'FROM_CLI', 'PWD'], {
      FROM_CLI: 'yes',
      PWD: '/srv/app',
    })
    const lines = await waitForLog(tend, 'env', /^PWD=/)
    expect(lines).toContain('LEAKME=')
    expect(lines).toContain('FROM_CLI=yes')
    const [described] = await tend.json<(ProcessDescription & { environment: Record<string, string> })[]>(['describe', 'env', '--env'])
    expect(described!.environment).toMatchObject({ FROM_CLI: 'yes', NODE_APP_INSTANCE: '0', PWD: '/srv/app' })
    expect(described!.environment).not.toHaveProperty('LEAKME')
    const text = (await tend.run(['describe', 'env', '--env'])).stdout
    expect(text).toContain('  PWD=/srv/app')
    expect(text).not.toContain('[redacted]')
  })

  it('runs a command from PATH with --interpreter none', async () => {
    const tend = tendHome()
    const port = await freePort()
    const [app] = await jsonWithArgs(
      tend,
      ['start', 'python3', '--interpreter', 'none', '--name', 'py'],
      ['-m', 'http.server', String(port), '--bind', '127.0.0.1'],
    )
    expect(app).toMatchObject({ status: 'online' })
    const [described] = await tend.json<ProcessDescription[]>(['describe', 'py'])
    expect(described!.spec.interpreter).toBeNull()
    expect(described!.spec.script).toMatch(/\/python3$/)
    let status = 0
    const deadline = Date.now() + 60_000
    while (status !== 200 && Date.now() < deadline) {
      status = await fetch(`http://127.0.0.1:${port}/`).then(
        (response) => response.status,
        () => 0,
      )
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(status).toBe(200)
  })

  it('refuses a .ts script without a loader, naming the two ways that work, and runs it with one', async () => {
    const tend = tendHome()
    if ((process.features as { typescript?: unknown }).typescript) {
      // Node 22.18+, 23.6+ and 24+ strip types by themselves: the script runs as it is.
      const [plain] = await tend.json<ProcessInfo[]>(['start', fixture('typed-server.ts'), '--cwd', fixturesDir])
      expect(plain!.status).toBe('online')
      await waitForLog(tend, 'typed-server', /^typed \d+$/)
      return
    }
    const refused = await tend.run(['start', fixture('typed-server.ts')])
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain("interpreter: 'tsx'")
    expect(refused.stderr).toContain("interpreterArgs: ['--import', 'tsx']")
    expect(await tend.json<ProcessInfo[]>(['list'])).toEqual([])
    const [app] = await tend.json<ProcessInfo[]>(['start', fixture('typed-server.ts'), '--node-args', '--import tsx', '--cwd', fixturesDir])
    expect(app!.status).toBe('online')
    await waitForLog(tend, 'typed-server', /^typed \d+$/)
  })

  it('refuses a name that runs another script with TEND_ERR_EXISTS, and -f replaces it', async () => {
    const tend = tendHome()
    const [web] = await tend.json<ProcessInfo[]>(['start', fixture('long-running.cjs'), '--name', 'web'])
    const refused = await tend.run(['start', fixture('ticker.cjs'), '--name', 'web'])
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('TEND_ERR_EXISTS')
    expect(refused.stderr).toContain('-f')
    expect((await tend.json<ProcessInfo[]>(['describe', 'web']))[0]).toMatchObject({ pid: web!.pid, restarts: 0 })
    const [forced] = await tend.json<ProcessInfo[]>(['start', fixture('ticker.cjs'), '--name', 'web', '-f'])
    expect(forced).toMatchObject({ status: 'online' })
    expect((await tend.json<ProcessDescription[]>(['describe', 'web']))[0]!.spec.script).toBe(fixture('ticker.cjs'))
    expect(forced!.pid).not.toBe(web!.pid)
    // the same script again restarts it, as PM2 does
    const [again] = await tend.json<ProcessInfo[]>(['start', fixture('ticker.cjs'), '--name', 'web'])
    expect(again!.pid).not.toBe(forced!.pid)
  })

  it('start <ecosystem> --env X over running apps applies the file: new env and instances, unchanged apps keep their pids', async () => {
    const tend = tendHome()
    const port = await freePort()
    const file = join(tend.home, 'ecosystem.config.cjs')
    const write = (instances: number, level: string): void =>
      writeFileSync(
        file,
        `module.exports = { apps: [
          { name: 'web', script: ${JSON.stringify(fixture('http-server.cjs'))}, instances: ${instances}, env: { PORT: ${port} }, env_production: { LEVEL: '${level}' } },
          { name: 'worker', script: ${JSON.stringify(fixture('print-env.cjs'))}, args: ['LEVEL'], env: { LEVEL: 'base' }, env_production: { LEVEL: '${level}' } },
          { name: 'steady', script: ${JSON.stringify(fixture('long-running.cjs'))} },
        ] }\n`,
      )
    write(1, 'info')
    const first = await tend.json<ProcessInfo[]>(['start', file])
    const pidOf = (list: ProcessInfo[], name: string): (number | null)[] =>
      list.filter((info) => info.name === name).map((info) => info.pid)
    write(2, 'warn')
    const text = await tend.run(['start', file, '--env', 'production'])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('web: changed; reload, then scale')
    expect(text.stdout).toContain('+ env.LEVEL')
    expect(text.stdout).toContain('worker: changed; restart')
    expect(text.stdout).toContain('steady: unchanged')
    const now = await tend.json<ProcessDescription[]>(['describe', 'all'])
    expect(now.filter((info) => info.name === 'web').map((info) => [info.mode, info.status, info.spec.env.LEVEL])).toEqual([
      ['cluster', 'online', 'warn'],
      ['cluster', 'online', 'warn'],
    ])
    expect(pidOf(now, 'steady')).toEqual(pidOf(first, 'steady'))
    expect(pidOf(now, 'worker')).not.toEqual(pidOf(first, 'worker'))
    await waitForLog(tend, 'worker', /^LEVEL=warn$/)
    // start means running: an unchanged app that was stopped starts again
    await tend.json(['stop', 'steady'])
    const again = await tend.run(['start', file, '--env', 'production'])
    expect(again.stdout).toContain('steady: unchanged; restart')
    expect((await tend.json<ProcessInfo[]>(['describe', 'steady']))[0]!.status).toBe('online')
  })

  it('restart --update-env takes the shell environment, as PM2; a plain restart keeps the old one', async () => {
    const tend = tendHome()
    await jsonWithArgs(tend, ['start', fixture('print-env.cjs'), '--name', 'env'], ['STAGE'], { STAGE: 'one' })
    await waitForLog(tend, 'env', /^STAGE=one$/)
    await tend.json(['restart', 'env'], { env: { STAGE: 'two' } })
    expect((await tend.json<ProcessDescription[]>(['describe', 'env']))[0]!.spec.env.STAGE).toBe('one')
    await tend.json(['reload', 'env', '--update-env'], { env: { STAGE: 'three' } })
    await waitForLog(tend, 'env', /^STAGE=three$/)
    expect((await tend.json<ProcessDescription[]>(['describe', 'env']))[0]!.spec.env.STAGE).toBe('three')
  })

  it('startOrReload starts what does not run and reloads what does; apply --dry-run changes nothing, --prune deletes', async () => {
    const tend = tendHome()
    const file = join(tend.home, 'process.json')
    const app = (name: string, env: Record<string, string> = {}): object => ({ name, script: fixture('long-running.cjs'), env })
    writeFileSync(file, JSON.stringify({ apps: [app('a')] }))
    const [a] = await tend.json<ProcessInfo[]>(['start', file])
    writeFileSync(file, JSON.stringify({ apps: [app('a'), app('b')] }))
    const both = await tend.json<ProcessInfo[]>(['startOrReload', file])
    expect(both.map((info) => [info.name, info.status])).toEqual([
      ['a', 'online'],
      ['b', 'online'],
    ])
    expect(both[0]!.pid).not.toBe(a!.pid)

    writeFileSync(file, JSON.stringify({ apps: [app('b', { API_TOKEN: 'hunter2' })] }))
    const before = await tend.json<ProcessInfo[]>(['list'])
    const dry = await tend.run(['apply', file, '--dry-run', '--prune'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('a: removed; would delete')
    expect(dry.stdout).toContain('b: changed; would restart')
    expect(dry.stdout).toContain('+ env.API_TOKEN')
    expect(dry.stdout).not.toContain('hunter2')
    expect((await tend.json<ProcessInfo[]>(['list'])).map((info) => info.pid)).toEqual(before.map((info) => info.pid))

    const applied = await tend.json<AppliedApp[]>(['apply', file, '--prune'])
    expect(applied.map((result) => [result.name, result.actions])).toEqual([
      ['b', ['restart']],
      ['a', ['delete']],
    ])
    expect((await tend.json<ProcessInfo[]>(['list'])).map((info) => info.name)).toEqual(['b'])
  })
})
