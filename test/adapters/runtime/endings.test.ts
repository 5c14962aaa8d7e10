import type { ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixture, isAlive, outputLines as lines, tempDir, until } from '../../helpers.js'
import { tendHome } from '../cli/cli-helpers.js'

/** `tend runtime` on an ecosystem file of these apps (JS objects, written as JSON), its output as lines and its exit code. */
function runtime(apps: readonly Record<string, unknown>[], args: readonly string[] = [], groups?: Record<string, unknown>) {
  const tend = tendHome()
  const eco = join(tempDir(), 'ecosystem.config.json')
  writeFileSync(eco, JSON.stringify({ apps, ...(groups ? { groups } : {}) }))
  const child: ChildProcess = tend.spawn(['runtime', eco, ...args])
  const out = lines(child.stdout!)
  const err = lines(child.stderr!)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { tend, child, out, err, exited }
}

const pidsOnline = (out: readonly string[]): number[] => out.flatMap((line) => /online \(pid (\d+)\)/.exec(line)?.[1] ?? []).map(Number)

describe('tend runtime: how it ends', { timeout: 180_000 }, () => {
  it('exits 3 when a critical app crash-loops, after stopping the other apps gracefully', async () => {
    // web starts once side is ready (its signal handlers in place), then crash-loops: 3 unstable exits in a row give up
    const run = runtime([
      { name: 'side', script: fixture('say-on-stop.cjs'), wait_ready: true, listen_timeout: 60_000, kill_timeout: 10_000 },
      { name: 'front', script: fixture('say-on-stop.cjs'), wait_ready: true, listen_timeout: 60_000, dependsOn: ['side'] },
      { name: 'web', script: fixture('exit-with.cjs'), args: ['3'], max_restarts: 2, critical: true, dependsOn: ['front'] },
    ])
    expect(await run.exited).toBe(3)
    const rest = pidsOnline(run.out.filter((line) => /(side|front)#0 online/.test(line)))
    expect(rest).toHaveLength(2)
    run.tend.track(...rest)
    expect(run.err).toContainEqual(
      expect.stringMatching(/^tend \| critical app web \(#0\) gave up: .*\(TEND_ERR_CRASH_LOOP\): exiting with 3$/),
    )
    // both got their stop signal, said so, and exited of it (a graceful stop, not a SIGKILL): front, which depends on side, first
    const order = [
      'front | stopping on SIGINT',
      'tend | front#0 exited with 0 (stop)',
      'side | stopping on SIGINT',
      'tend | side#0 exited with 0 (stop)',
    ]
    expect(order.map((line) => run.out.indexOf(line))).toEqual(order.map((line) => run.out.indexOf(line)).sort((a, b) => a - b))
    expect(order.map((line) => run.out.includes(line))).toEqual([true, true, true, true])
    expect(rest.filter(isAlive)).toEqual([])
  })

  it('keeps running when a non-critical app gives up, or a critical one-shot app ends cleanly', async () => {
    const run = runtime(
      [
        { name: 'side', script: fixture('say-on-stop.cjs'), wait_ready: true, listen_timeout: 60_000 },
        { name: 'crashy', script: fixture('exit-with.cjs'), args: ['3'], max_restarts: 1 },
        { name: 'job', script: fixture('exit-with.cjs'), args: ['0'], autorestart: false, critical: true },
      ],
      ['--health-port', '0', '--health-host', '127.0.0.1'],
    )
    await until(() => run.err.some((line) => line.startsWith('tend | crashy#') && line.includes('errored')), {
      timeout: 60_000,
      message: 'crashy to give up',
    })
    await until(() => run.out.includes('tend | job#0 exited with 0 (exit)'), { timeout: 60_000, message: 'job to end' })
    await until(() => run.out.some((line) => line.includes('side#0 online')), { timeout: 60_000, message: 'side online' })
    run.tend.track(...pidsOnline(run.out))
    // an end is decided in the same turn as the event that led to it, and stops the health server's /healthz first
    const port = Number(/health server on port (\d+)/.exec(run.out.join('\n'))![1])
    const healthz = await fetch(`http://127.0.0.1:${port}/healthz`)
    expect(healthz.status).toBe(200)
    const readyz = await fetch(`http://127.0.0.1:${port}/readyz`)
    expect(await readyz.text()).toMatch(/crashy#0: errored/)
    expect(run.child.exitCode).toBeNull()
    run.child.kill('SIGTERM')
    expect(await run.exited).toBe(0)
  })

  it('with --exit-on-end, exits 0 once every one-shot app has ended cleanly', async () => {
    const run = runtime(
      [
        { name: 'migrate', script: fixture('exit-with.cjs'), args: ['0', '200'], autorestart: false },
        { name: 'seed', script: fixture('exit-with.cjs'), args: ['0', '100'], autorestart: false, dependsOn: { migrate: 'completed' } },
      ],
      ['--exit-on-end'],
    )
    expect(await run.exited).toBe(0)
    expect(run.out).toContain('tend | every app has ended cleanly: exiting with 0')
    expect(run.out).toContain('seed | exiting with 0 in 100 ms')
  })

  it('with --exit-on-end, exits 1 once every app has ended and one failed, naming it', async () => {
    const run = runtime(
      [
        { name: 'ok', script: fixture('exit-with.cjs'), args: ['0', '100'], autorestart: false },
        { name: 'bad', script: fixture('exit-with.cjs'), args: ['4', '100'], autorestart: false },
      ],
      ['--exit-on-end'],
    )
    expect(await run.exited).toBe(1)
    expect(run.err).toContain('tend | every app has ended, 1 process(es) failed (bad): exiting with 1')
  })

  it('exits 4 when a supervision group gives up, its members stopped gracefully', async () => {
    const run = runtime(
      [
        { name: 'side', script: fixture('say-on-stop.cjs'), wait_ready: true, listen_timeout: 60_000, group: 'backend' },
        { name: 'crashy', script: fixture('exit-with.cjs'), args: ['3', '100'], group: 'backend', dependsOn: ['side'] },
      ],
      [],
      { backend: { strategy: 'one_for_one', maxRestarts: 1, period: '60s' } },
    )
    expect(await run.exited).toBe(4)
    const side = pidsOnline(run.out.filter((line) => line.includes('side#0 online')))
    expect(side).toHaveLength(1)
    run.tend.track(...side)
    expect(run.err).toContainEqual(expect.stringMatching(/^tend \| group backend gave up: .*\(TEND_ERR_CRASH_LOOP\): exiting with 4$/))
    expect(run.out).toContain('side | stopping on SIGINT')
    expect(run.out).toContain('tend | side#0 exited with 0 (group)')
    expect(side.filter(isAlive)).toEqual([])
  })

  it('says each restart of a group, and exits 4 when it gives up', async () => {
    const run = runtime(
      [
        { name: 'side', script: fixture('say-on-stop.cjs'), wait_ready: true, listen_timeout: 60_000, group: 'backend' },
        { name: 'crashy', script: fixture('exit-with.cjs'), args: ['3', '300'], group: 'backend', dependsOn: ['side'] },
      ],
      [],
      { backend: { strategy: 'one_for_all', maxRestarts: 1, period: '60s' } },
    )
    expect(await run.exited).toBe(4)
    run.tend.track(...pidsOnline(run.out))
    expect(run.out).toContain('tend | group backend (one_for_all): crashy#0 exited (crash); restarting side, crashy')
    expect(run.err).toContainEqual(expect.stringMatching(/^tend \| group backend gave up: .*: exiting with 4$/))
  })

  it('exits 0 on SIGTERM while an app waits on its dependency, with no failure said', async () => {
    const run = runtime([
      { name: 'migrate', script: fixture('exit-with.cjs'), args: ['0', '120000'], autorestart: false },
      { name: 'web', script: fixture('say-on-stop.cjs'), dependsOn: { migrate: 'completedSuccessfully' } },
    ])
    await until(() => run.out.includes('migrate | exiting with 0 in 120000 ms'), { timeout: 30_000, message: 'migrate to run' })
    run.tend.track(...pidsOnline(run.out))
    run.child.kill('SIGTERM')
    expect(await run.exited).toBe(0)
    expect(run.err.filter((line) => line.includes('start failed'))).toEqual([])
  })

  it('exits 2, the code of a wrong command line, on a bad --health-port', async () => {
    const tend = tendHome()
    const eco = join(tempDir(), 'ecosystem.config.json')
    writeFileSync(eco, JSON.stringify({ apps: [{ name: 'side', script: fixture('say-on-stop.cjs') }] }))
    const result = await tend.run(['runtime', eco, '--health-port', 'abc'])
    expect(result).toMatchObject({ code: 2, stderr: 'tend: --health-port takes a port number, got "abc" (TEND_ERR_CLI)\n' })
  })

  it('says which app ended it in a JSON line on stderr with --json', async () => {
    const run = runtime([{ name: 'job', script: fixture('exit-with.cjs'), args: ['6'], autorestart: false, critical: true }], ['--json'])
    expect(await run.exited).toBe(3)
    const ends = run.err.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === 'end')
    expect(ends).toEqual([expect.objectContaining({ source: 'tend', level: 'error', app: 'job', code: 3 })])
  })

  it('exits 3 when a critical app that does not restart exits with a failure', async () => {
    const run = runtime([
      { name: 'side', script: fixture('say-on-stop.cjs'), wait_ready: true, listen_timeout: 60_000 },
      { name: 'job', script: fixture('exit-with.cjs'), args: ['5'], autorestart: false, critical: true, dependsOn: ['side'] },
    ])
    expect(await run.exited).toBe(3)
    run.tend.track(...pidsOnline(run.out))
    expect(run.err).toContain('tend | critical app job (#0) gave up: it exited for good (crash) and does not restart: exiting with 3')
    expect(run.out).toContain('side | stopping on SIGINT')
  })
})
