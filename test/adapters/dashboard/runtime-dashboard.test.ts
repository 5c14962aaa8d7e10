import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isLoopback } from '../../../src/adapters/dashboard/server.js'
import { fixture, isAlive, tempDir, until } from '../../helpers.js'
import { tendHome } from '../cli/cli-helpers.js'

describe('tend runtime --dashboard-port', { timeout: 180_000 }, () => {
  it('serves the dashboard of the runtime’s own apps, behind the printed token, and stops with it', async () => {
    const tend = tendHome()
    const dir = tempDir()
    const eco = join(dir, 'ecosystem.config.cjs')
    writeFileSync(eco, `module.exports = { apps: [{ name: 'web', script: ${JSON.stringify(fixture('long-running.cjs'))}, instances: 2 }] }`)
    const child = tend.spawn(['runtime', eco, '--dashboard-port', '0'])
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
    await until(() => /dashboard on http/.test(out) && /started 2 process/.test(out), { timeout: 60_000, message: 'the runtime' })
    const url = /dashboard on (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out)![1]!
    const base = url.replace(/\/\?token=.*$/, '')
    const token = new URL(url).searchParams.get('token')!

    expect((await fetch(`${base}/api/state`)).status).toBe(401)
    const state = (await (await fetch(`${base}/api/state?token=${token}`)).json()) as { processes: { name: string; pid: number }[] }
    expect(state.processes.map((row) => row.name)).toEqual(['web', 'web'])
    tend.track(...state.processes.map((row) => row.pid))
    expect((await fetch(url)).status).toBe(200)

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(state.processes.every((row) => !isAlive(row.pid))).toBe(true)
    await expect(fetch(`${base}/api/state?token=${token}`)).rejects.toThrow()
  })

  it('calls only loopback addresses loopback', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true)
    expect(['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com'].some(isLoopback)).toBe(false)
  })
})
