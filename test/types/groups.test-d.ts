import { describe, expectTypeOf, it } from 'vitest'
import { connect } from '../../src/rpc.js'
import { CrashLoopError, Supervisor, type GroupInfo, type GroupSpec, type ProcessInfo, type SupervisorOptions } from '../../src/index.js'

describe('supervision group types', () => {
  it('types the declarations, the events and the RPC methods', async () => {
    const groups: SupervisorOptions['groups'] = { backend: { strategy: 'rest_for_one', maxRestarts: 5, period: '60s' }, plain: {} }
    // @ts-expect-error: only the three strategies
    const bad: GroupSpec = { strategy: 'one_for_some' }
    void bad
    const sup = new Supervisor({ groups })
    expectTypeOf<Parameters<Supervisor['defineGroups']>[0]>().toEqualTypeOf<Readonly<Record<string, GroupSpec>>>()
    expectTypeOf(sup.groups()).toEqualTypeOf<GroupInfo[]>()
    sup.on('group:errored', (event) => {
      expectTypeOf(event).toEqualTypeOf<{ readonly group: string; readonly error: CrashLoopError; readonly at: number }>()
      expectTypeOf(event.error.group).toEqualTypeOf<string | undefined>()
    })
    sup.on('group:restart', (event) => {
      expectTypeOf(event.trigger).toEqualTypeOf<ProcessInfo>()
      expectTypeOf(event.apps).toEqualTypeOf<readonly string[]>()
    })
    const client = await connect({ socketPath: '/tmp/none.sock' })
    expectTypeOf(client.defineGroups).returns.toEqualTypeOf<Promise<GroupInfo[]>>()
    expectTypeOf(client.groups).returns.toEqualTypeOf<Promise<GroupInfo[]>>()
  })
})
