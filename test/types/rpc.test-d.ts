import { describe, expectTypeOf, it } from 'vitest'
import type { LogLine, ProcessExitEvent, ProcessInfo } from '../../src/index.js'
import type { SupervisorClient } from '../../src/rpc.js'

declare const client: SupervisorClient

describe('SupervisorClient types', () => {
  it("has the Supervisor's method names, each async", () => {
    expectTypeOf(client.list).returns.toEqualTypeOf<Promise<ProcessInfo[]>>()
    expectTypeOf(client.describe).parameter(0).toEqualTypeOf<number | string | readonly (number | string)[]>()
    expectTypeOf(client.logs).returns.toEqualTypeOf<Promise<LogLine[]>>()
    expectTypeOf(client.start).returns.toEqualTypeOf<Promise<ProcessInfo[]>>()
    expectTypeOf(client.reload).returns.toEqualTypeOf<Promise<ProcessInfo[]>>()
    expectTypeOf(client.scale).parameter(1).toEqualTypeOf<number | string>()
    expectTypeOf(client.flushLogs).returns.toEqualTypeOf<Promise<ProcessInfo[]>>()
    // Only allow-listed methods: appSpecs() holds secrets and stays in-process.
    expectTypeOf<SupervisorClient>().not.toHaveProperty('appSpecs')
    expectTypeOf<SupervisorClient>().toHaveProperty('waitFor')
  })

  it('types event payloads by name, and gives wildcard listeners the event name', () => {
    void client.on('process:exit', (event, name) => {
      expectTypeOf(event).toEqualTypeOf<ProcessExitEvent>()
      expectTypeOf(name).toBeString()
    })
    void client.on('log:*', (payload) => {
      expectTypeOf(payload).toBeUnknown()
    })
  })
})
