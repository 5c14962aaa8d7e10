import { describe, expect, it } from 'vitest'
import type { ExitReason } from '../../src/types.js'
import { fixture, supervisor, until } from '../helpers.js'
import { freePort } from '../http-load.js'

describe('tcp probes', () => {
  it('close their connection without a reset, so an app that greets first (and has no socket error handler) keeps running', async () => {
    const sup = supervisor()
    const port = await freePort()
    const exits: ExitReason[] = []
    sup.on('process:exit', ({ reason }) => exits.push(reason))
    // the startup probe waits for it to listen; then a single failed liveness check restarts it
    const startup = { tcp: {}, interval: '100ms', timeout: '2s', failureThreshold: 300 } as const
    const liveness = { tcp: {}, interval: '100ms', timeout: '2s', failureThreshold: 1 } as const
    const [info] = await sup.start({ script: fixture('greeting-server.cjs'), env: { PORT: port }, probes: { startup, liveness } })
    // a reset reaches the app as ECONNRESET, which it does not handle: it would crash at the first check or so
    const checks = new Set<number>()
    await until(
      () => {
        const at = sup.list().find((p) => p.id === info!.id)?.health?.lastCheckAt
        if (typeof at === 'number') checks.add(at)
        return checks.size >= 8
      },
      { timeout: 60_000, message: 'eight liveness checks' },
    )
    const [now] = sup.list()
    expect(exits).toEqual([])
    expect(now).toMatchObject({ status: 'online', pid: info!.pid, restarts: 0 })
    expect(now!.health).toMatchObject({ status: 'healthy', consecutiveFailures: 0 })
  }, 90_000)
})
