import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ProcessInfo } from '../../src/index.js'
import { tendHome } from '../adapters/cli/cli-helpers.js'
import { expectGoneAfterTest, fixture, isAlive, until } from '../helpers.js'
import { freePort } from '../http-load.js'

// A real daemon launched by the CLI; every CLI call is a fresh node process, so give it room.
describe('no orphans when the daemon is SIGKILLed', { timeout: 90_000 }, () => {
  it('takes its fork and cluster children and the fork child’s grandchild with it, and the next CLI call starts a fresh daemon', async () => {
    const tend = tendHome()
    const fork = await tend.json<ProcessInfo[]>(['start', fixture('spawn-grandchild.cjs'), '--name', 'fork', '-i', '2', '--fork'])
    const port = String(await freePort())
    const cluster = await tend.json<ProcessInfo[]>(['start', fixture('http-server.cjs'), '--name', 'web', '-i', '2'], {
      env: { PORT: port },
    })
    expect(fork.map((info) => info.mode)).toEqual(['fork', 'fork'])
    expect(cluster.map((info) => info.mode)).toEqual(['cluster', 'cluster'])

    const grandchildren: number[] = []
    await until(
      () => {
        grandchildren.length = 0
        for (const instance of [0, 1]) {
          const match = /grandchild (\d+)/.exec(readFileSync(join(tend.home, 'logs', `fork-${instance}-out.log`), 'utf8'))
          if (match) grandchildren.push(Number(match[1]))
        }
        return grandchildren.length === 2
      },
      { timeout: 15_000, message: 'both grandchildren to print their pids' },
    )
    const daemon = tend.daemonPid()!
    const all = [...fork, ...cluster].map((info) => info.pid!).concat(grandchildren)
    for (const pid of all) expectGoneAfterTest(pid)
    expect(all).toHaveLength(6)
    expect(all.every(isAlive)).toBe(true)

    const killedAt = Date.now()
    process.kill(daemon, 'SIGKILL')
    await until(() => !isAlive(daemon), { message: 'the daemon to die' })
    await until(() => all.every((pid) => !isAlive(pid)), {
      timeout: 15_000,
      message: 'every child and grandchild of the daemon to be gone',
    })
    const elapsed = Date.now() - killedAt
    console.info(`daemon orphans: ${all.length} processes gone ${elapsed} ms after SIGKILL of the daemon`)

    // The socket and pid file it left behind are stale: the next call starts a new daemon.
    const ping = await tend.json<{ pid: number; processes: number }>(['ping'])
    expect(ping.pid).not.toBe(daemon)
    expect(ping.processes).toBe(0)
    expect(tend.daemonPid()).toBe(ping.pid)
    expect(await tend.json<ProcessInfo[]>(['list'])).toEqual([])
  })
})
