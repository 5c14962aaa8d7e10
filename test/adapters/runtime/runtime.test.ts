import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixture, isAlive, outputLines as lines, tempDir, until } from '../../helpers.js'
import { tendHome } from '../cli/cli-helpers.js'

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`)
  return { status: response.status, body: await response.text() }
}

describe('tend runtime', { timeout: 180_000 }, () => {
  it('serves /readyz only once every app is online, /metrics in Prometheus text, and exits 0 on SIGTERM with no app left', async () => {
    const tend = tendHome()
    const dir = tempDir()
    const flag = join(dir, 'go')
    const eco = join(dir, 'ecosystem.config.cjs')
    writeFileSync(
      eco,
      `module.exports = { apps: [
        { name: 'web', script: ${JSON.stringify(fixture('ready-on-file.cjs'))}, args: [${JSON.stringify(flag)}], wait_ready: true, listen_timeout: 120000 },
        { name: 'side', script: ${JSON.stringify(fixture('long-running.cjs'))}, instances: 2 },
      ] }`,
    )
    const child = tend.spawn(['runtime', eco, '--health-port', '0', '--health-host', '127.0.0.1'])
    const out = lines(child.stdout!)
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    await until(() => out.some((line) => /health server on port \d+/.test(line)), { timeout: 30_000, message: 'the health server line' })
    const port = Number(/health server on port (\d+)/.exec(out.find((line) => line.includes('health server'))!)![1])

    expect((await get(port, '/healthz')).status).toBe(200)
    await until(() => out.some((line) => line.startsWith('web | waiting for')), { timeout: 30_000, message: 'web to start' })
    const notReady = await get(port, '/readyz')
    expect(notReady.status).toBe(503)
    expect(notReady.body).toContain('web#0: launching')

    writeFileSync(flag, '')
    let ready = await get(port, '/readyz')
    const deadline = Date.now() + 30_000
    while (ready.status !== 200 && Date.now() < deadline) ready = await get(port, '/readyz')
    expect(ready).toEqual({ status: 200, body: 'ready\n' })
    const metrics = await get(port, '/metrics')
    expect(metrics.body).toMatch(/^tend_process_memory_bytes\{name="web",namespace="default",id="0",instance="0"\} \d+$/m)
    expect(metrics.body).toMatch(/^tend_process_status\{name="side",namespace="default",id="\d",instance="1",status="online"\} 1$/m)
    // Each app's lines reach stdout prefixed with its name and instance (stdout may trail the HTTP answer).
    await until(() => out.filter((line) => / online \(pid \d+\)/.test(line)).length === 3, {
      timeout: 30_000,
      message: 'three online lines',
    })
    const side1 = /side#1 online \(pid (\d+)\)/.exec(out.join('\n'))![1]
    await until(() => out.includes(`side#1 | started ${side1} instance=1`), { timeout: 30_000, message: "side#1's first line" })

    const pids = out.flatMap((line) => /online \(pid (\d+)\)/.exec(line)?.[1] ?? []).map(Number)
    expect(pids).toHaveLength(3)
    tend.track(...pids)
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(pids.filter(isAlive)).toEqual([])
    // the apps ended because the runtime stopped them: not "every app has ended cleanly; the runtime stays up"
    expect(out.filter((line) => line.includes('ended cleanly'))).toEqual([])
  })

  it('exits non-zero when every app ended errored, and logs JSON lines with --json', async () => {
    const tend = tendHome()
    const dir = tempDir()
    const eco = join(dir, 'process.yml')
    writeFileSync(eco, `apps:\n  - name: crashy\n    script: ${fixture('exit-with.cjs')}\n    args: "3"\n    max_restarts: 1\n`)
    const child = tend.spawn(['runtime', eco, '--json'])
    const out = lines(child.stdout!)
    const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)))
    expect(code).toBe(1)
    const parsed = out.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(parsed).toContainEqual(expect.objectContaining({ app: 'crashy', stream: 'out', line: 'exiting with 3 in 0 ms' }))
  })
})
