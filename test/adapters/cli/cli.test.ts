import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createServer } from 'node:net'
import type { ProcessDescription, ProcessInfo } from '../../../src/index.js'
import { fixture, isAlive, until } from '../../helpers.js'
import { tendHome } from './cli-helpers.js'

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

function summary(processes: ProcessInfo[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const info of processes) counts[info.name] = (counts[info.name] ?? 0) + 1
  return counts
}

// Each CLI call is a fresh node process (with tsx): give whole flows room on a loaded machine.
describe('tend CLI against a real daemon', { timeout: 180_000 }, () => {
  it('start (script and ecosystem) → list → reload → scale → save → kill → resurrect → the same apps', async () => {
    const tend = tendHome()
    const eco = join(tend.home, 'ecosystem.config.cjs')
    writeFileSync(
      eco,
      `module.exports = { apps: [{ name: 'worker', script: ${JSON.stringify(fixture('long-running.cjs'))}, kill_timeout: 3000 }] }\n`,
    )

    // -i on a node script means cluster mode, as in PM2; the CLI's env (PORT) reaches the app.
    const port = String(await freePort())
    const web = await tend.json<ProcessInfo[]>(['start', fixture('http-server.cjs'), '--name', 'web', '-i', '2'], { env: { PORT: port } })
    expect(web.map((info) => [info.name, info.status, info.mode])).toEqual([
      ['web', 'online', 'cluster'],
      ['web', 'online', 'cluster'],
    ])
    const answer = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { instance: string }
    expect(['0', '1']).toContain(answer.instance)
    const worker = await tend.json<ProcessInfo[]>(['start', eco])
    expect(worker).toMatchObject([{ name: 'worker', status: 'online' }])
    // start's reply carries no spec (it would repeat each app's environment per process); describe has it
    expect(await tend.json<ProcessDescription[]>(['describe', 'worker'])).toMatchObject([{ spec: { killTimeout: 3000 } }])

    const listed = await tend.json<ProcessInfo[]>(['list'])
    expect(summary(listed)).toEqual({ web: 2, worker: 1 })
    expect(listed.every((info) => info.status === 'online' && isAlive(info.pid!))).toBe(true)

    const reloaded = await tend.json<ProcessInfo[]>(['reload', 'web'])
    expect(reloaded.every((info) => info.status === 'online')).toBe(true)
    const after = await tend.json<ProcessInfo[]>(['describe', 'web'])
    expect(after.every((info) => info.status === 'online')).toBe(true)
    for (const old of web) expect(after.map((info) => info.pid)).not.toContain(old.pid)

    const scaled = await tend.json<ProcessInfo[]>(['scale', 'web', '3'])
    expect(scaled.map((info) => info.instance)).toEqual([0, 1, 2])
    expect(summary(await tend.json<ProcessInfo[]>(['list']))).toEqual({ web: 3, worker: 1 })
    const before = await tend.json<ProcessInfo[]>(['list'])

    const saved = await tend.json<{ path: string; apps: number }>(['save'])
    expect(saved).toEqual({ path: join(tend.home, 'dump.json'), apps: 2 })
    expect(statSync(saved.path).mode & 0o777).toBe(0o600)

    const daemon = tend.daemonPid()!
    expect(await tend.json(['kill'])).toEqual({ killed: true, pid: daemon })
    expect(isAlive(daemon)).toBe(false)
    await until(() => before.every((info) => !isAlive(info.pid!)), { message: 'every app to stop with the daemon' })

    const resurrected = await tend.json<ProcessInfo[]>(['resurrect'])
    expect(summary(resurrected)).toEqual(summary(before))
    const again = await tend.json<ProcessInfo[]>(['list'])
    expect(summary(again)).toEqual(summary(before))
    expect(again.every((info) => info.status === 'online')).toBe(true)
    expect(again.filter((info) => info.name === 'web').map((info) => info.mode)).toEqual(['cluster', 'cluster', 'cluster'])
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200)
    expect(tend.daemonPid()).not.toBe(daemon)
  })

  it('starts a PM2-style ecosystem file with env_production under --env production', async () => {
    const tend = tendHome()
    const eco = join(tend.home, 'process.json')
    writeFileSync(
      eco,
      `// JSON5, as PM2 reads it
      { apps: [{
        name: 'api', script: ${JSON.stringify(fixture('print-env.cjs'))}, args: 'MODE PORT API_TOKEN',
        exec_mode: 'fork_mode', instances: 1, max_restarts: 3, min_uptime: '2s', kill_timeout: 2500, node_args: '--no-warnings',
        out_file: ${JSON.stringify(join(tend.home, 'api.out.log'))}, error_file: ${JSON.stringify(join(tend.home, 'api.err.log'))},
        env: { MODE: 'development', PORT: 3000 },
        env_production: { MODE: 'production', API_TOKEN: 's3cr3t-value' },
      }] }`,
    )
    const [api] = await tend.json<ProcessInfo[]>(['start', eco, '--env', 'production'])
    expect(api).toMatchObject({ name: 'api', status: 'online' })
    const [apiDescribed] = await tend.json<ProcessDescription[]>(['describe', 'api'])
    expect(apiDescribed).toMatchObject({ spec: { maxRestarts: 3, minUptime: 2000, killTimeout: 2500, interpreterArgs: ['--no-warnings'] } })
    let logs = ''
    const deadline = Date.now() + 30_000
    while (!logs.includes('API_TOKEN=') && Date.now() < deadline) logs = (await tend.run(['logs', 'api', '--lines', '10'])).stdout
    expect(logs).toContain('MODE=production')
    expect(logs).toContain('PORT=3000')
    // out_file (PM2's name) is honoured: the daemon writes the app's stdout there.
    const outFile = join(tend.home, 'api.out.log')
    await until(() => existsSync(outFile) && readFileSync(outFile, 'utf8').includes('MODE=production'), { message: 'the line in out_file' })

    // The secret reaches the app and the dump, but list and describe never show it.
    expect(logs).toContain('API_TOKEN=s3cr3t-value')
    const described = await tend.run(['describe', 'api', '--env'])
    expect(described.stdout).toContain('API_TOKEN=[redacted]')
    expect(described.stdout).not.toContain('s3cr3t-value')
    expect((await tend.run(['list', '--json'])).stdout).not.toContain('s3cr3t-value')
    await tend.json(['save'])
    expect(readFileSync(join(tend.home, 'dump.json'), 'utf8')).toContain('s3cr3t-value')
  })

  it('reports an unknown ecosystem key with a suggestion, and a failed verb with one line and exit 1', async () => {
    const tend = tendHome()
    const eco = join(tend.home, 'ecosystem.yml')
    writeFileSync(eco, `apps:\n  - name: typo\n    script: ${fixture('long-running.cjs')}\n    max_restrats: 3\n`)
    const typo = await tend.run(['start', eco])
    expect(typo.code).toBe(1)
    expect(typo.stderr).toMatch(
      /^tend: Unknown option "max_restrats" in app "typo"; did you mean "max_restarts"\? \(TEND_ERR_INVALID_SPEC\)\n$/,
    )

    const missing = await tend.run(['stop', 'nope'])
    expect(missing).toMatchObject({ code: 1, stderr: 'tend: No process or app matches "nope" (TEND_ERR_NOT_FOUND)\n' })
    expect(statSync(join(tend.home, 'rpc.sock')).mode & 0o777).toBe(0o600)
    expect(statSync(tend.home).mode & 0o777).toBe(0o700)
  })

  it('replaces the stale socket and pid file of a killed daemon', async () => {
    const tend = tendHome()
    const first = await tend.json<{ pid: number }>(['ping'])
    const [app] = await tend.json<ProcessInfo[]>(['start', fixture('long-running.cjs'), '--name', 'orphan'])
    process.kill(first.pid, 'SIGKILL')
    await until(() => !isAlive(first.pid), { message: 'the daemon to die' })
    // Its node child sees the IPC channel close and exits: no orphan.
    await until(() => !isAlive(app!.pid!), { message: 'the app of the killed daemon to exit' })
    const second = await tend.json<{ pid: number }>(['ping'])
    expect(second.pid).not.toBe(first.pid)
    expect(tend.daemonPid()).toBe(second.pid)
    expect(await tend.json(['list'])).toEqual([])
  })

  it('prints the list table and the start of a systemd unit', async () => {
    const tend = tendHome()
    await tend.run(['start', fixture('long-running.cjs'), '--name', 'tbl', '--namespace', 'team', '-i', '2', '--fork'])
    const table = (await tend.run(['ls'])).stdout.split('\n')
    expect(table[0]).toMatch(/^id\s+name\s+namespace\s+mode\s+pid\s+uptime\s+↺\s+status\s+cpu\s+mem\s+watching$/)
    expect(table[1]).toMatch(/^0\s+tbl\s+team\s+fork\s+\d+\s+\S+\s+0\s+online\s+/)
    expect(table[2]).toMatch(/^1\s+tbl\s+team\s+fork\s+\d+\s+\S+\s+0\s+online\s+/)
    const unit = await tend.run(['startup', 'systemd'])
    expect(unit.code).toBe(0)
    expect(unit.stdout).toContain(`Environment=TEND_HOME=${tend.home}`)
    expect(unit.stdout).toMatch(/ExecStart=\S+ .*daemon-main\.ts --resurrect/)
    const path = join(tend.home, 'tend.service')
    expect((await tend.run(['startup', 'systemd', '--write', '--unit-path', path])).code).toBe(0)
    expect(readFileSync(path, 'utf8')).toBe(unit.stdout)
  })
})
