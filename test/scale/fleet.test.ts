/**
 * A daemon with 2,000 processes of a tiny binary answers list, describe of
 * one and of all, stop all and delete all, through the RPC client and through the CLI:
 * no reply is refused for its size and no connection is dropped.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ProcessDescription, ProcessInfo } from '../../src/index.js'
import { connect } from '../../src/rpc.js'
import { tendHome } from '../adapters/cli/cli-helpers.js'
import { isAlive, onCleanup, until } from '../helpers.js'

const N = 2000

// 2,000 spawns and their stops on a loaded 2-core machine: minutes, not seconds.
describe('a fleet of 2,000 processes', { timeout: 900_000 }, () => {
  it('answers list, describe, stop all and delete all over RPC and from the CLI', async () => {
    const tend = tendHome()
    // The CLI launches the daemon; this start is the first call.
    const ping = await tend.run(['ping'])
    expect(ping.code, ping.stderr).toBe(0)
    const client = await connect({ socketPath: join(tend.home, 'rpc.sock'), timeout: 600_000 })
    onCleanup(() => client.close())

    const started = await client.start({ name: 'fleet', script: '/bin/sleep', args: ['3600'], interpreter: 'none', instances: N })
    tend.track(...started.map((info) => info.pid))
    expect(started).toHaveLength(N)
    expect(started.every((info) => info.status === 'online' && !('spec' in info))).toBe(true)

    // list and describe of one, over RPC
    const listed = await client.list()
    expect(listed).toHaveLength(N)
    expect(new Set(listed.map((info) => info.pid)).size).toBe(N)
    const one = listed[N / 2]!
    const [described] = await client.describe(one.id)
    expect(described).toMatchObject({ id: one.id, pid: one.pid, spec: { script: '/bin/sleep', instances: N } })
    // describe of all: the app's spec travels once (describeCompact), every process gets it
    const all = await client.describe('all')
    expect(all.map((info) => info.id)).toEqual(listed.map((info) => info.id))
    expect(new Set(all.map((info) => info.spec)).size).toBe(1)

    // and from the CLI
    const ls = await tend.run(['ls'])
    expect(ls.code, ls.stderr).toBe(0)
    expect(ls.stdout.split('\n').filter((line) => /\bfleet\b/.test(line))).toHaveLength(N)
    const lsJson = await tend.json<ProcessInfo[]>(['ls'])
    expect(lsJson.map((info) => info.id)).toEqual(listed.map((info) => info.id))
    const [shown] = await tend.json<ProcessDescription[]>(['describe', String(one.id)])
    expect(shown).toMatchObject({ id: one.id, spec: { script: '/bin/sleep' } })
    const shownAll = await tend.json<ProcessDescription[]>(['describe', 'fleet'])
    expect(shownAll).toHaveLength(N)
    expect(shownAll.every((info) => info.spec.script === '/bin/sleep')).toBe(true)

    // stop all from the CLI (every process stops), then over RPC (each already stopped: answered, nothing to do)
    const stop = await tend.run(['stop', 'all'])
    expect(stop.code, stop.stderr).toBe(0)
    const stoppedAgain = await client.stop('all')
    expect(stoppedAgain).toHaveLength(N)
    expect(stoppedAgain.every((info) => info.status === 'stopped' && info.pid === null)).toBe(true)
    await until(() => started.every((info) => !isAlive(info.pid!)), { timeout: 60_000, message: 'every sleeper to be gone' })

    // delete half over RPC, the rest from the CLI
    const half = listed.slice(0, N / 2).map((info) => info.id)
    expect(await client.delete(half)).toHaveLength(N / 2)
    const del = await tend.run(['delete', 'all'])
    expect(del.code, del.stderr).toBe(0)
    expect(del.stdout).toContain(`${N / 2} process(es)`)
    expect(await client.list()).toEqual([])
    expect(await client.call('ping')).toMatchObject({ pid: tend.daemonPid() })
  })
})
