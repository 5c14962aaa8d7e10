import { describe, expect, it } from 'vitest'
import type { ProcessHealthEvent } from '../../../src/types.js'
import { fixture, until } from '../../helpers.js'
import { freePort, getPath } from '../../http-load.js'
import { served } from './rpc-helpers.js'

describe('health over RPC', () => {
  it('carries ProcessInfo.health in list() and describe(), kept current, and process:health events to subscribers', async () => {
    const { client } = await served()
    const remote = await client()
    const events: ProcessHealthEvent[] = []
    await remote.on('process:health', (event) => events.push(event))
    const port = await freePort()
    const readiness = { http: { path: '/ready' }, interval: '200ms', failureThreshold: 2 } as const
    const [started] = await remote.start({ name: 'api', script: fixture('probe-app.cjs'), env: { PORT: port }, probes: { readiness } })
    expect(started!.health).toMatchObject({ status: 'healthy', ready: true, consecutiveFailures: 0 })

    // lastCheckAt moves with every check, not only when the status changes
    const first = (await remote.list())[0]!.health!.lastCheckAt!
    await until(() => events.length > 0, { message: 'the first process:health event' })
    let later = first
    const deadline = Date.now() + 20_000
    while (later === first && Date.now() < deadline) later = (await remote.list())[0]!.health!.lastCheckAt!
    expect(later).toBeGreaterThan(first)

    await getPath(port, '/unready')
    await until(() => events.some((event) => !event.health.ready), { timeout: 20_000, message: 'a not-ready process:health event' })
    const [described] = await remote.describe('api')
    expect(described!.status).toBe('online')
    expect(described!.health).toMatchObject({ status: 'healthy', ready: false })
    expect(described!.health!.lastError).toMatch(/answered 503/)
    expect(described!.health!.consecutiveFailures).toBeGreaterThanOrEqual(2)
    expect(described!.spec.probes!.readiness).toMatchObject({ interval: 200, failureThreshold: 2 })
  }, 60_000)
})
