import { Supervisor, TendError, type AppSpec, type ProcessInfo, type ProcessExitEvent, type SupervisorEvents } from 'tendjs'

const spec: AppSpec = { name: 'typed', script: 'server.js', instances: 2, killTimeout: '2s' }
const sup = new Supervisor({ metricsInterval: 0 })
sup.on('process:exit', (event: ProcessExitEvent) => {
  const reason: 'crash' | 'exit' | string = event.reason
  void reason
})
// @ts-expect-error: an event name that does not exist is a type error
sup.on('process:exti', () => {})
export async function use(): Promise<ProcessInfo[]> {
  await using scoped = new Supervisor()
  void scoped
  return sup.start(spec)
}

// Nothing public may be `any`: an `any` would turn every check below it off.
type IsAny<T> = 0 extends 1 & T ? true : false
type Not<T extends boolean> = T extends true ? false : true
type Payloads = { [E in keyof SupervisorEvents]: Parameters<SupervisorEvents[E]>[0] }
type AnyPayload = { [E in keyof Payloads]: IsAny<Payloads[E]> extends true ? E : never }[keyof Payloads]
export const busIsTyped: Not<IsAny<typeof sup.bus>> = true
export const busOnIsTyped: Not<IsAny<typeof sup.bus.on>> = true
export const noPayloadIsAny: [AnyPayload] extends [never] ? true : false = true
export const erroredCarriesATendError: Payloads['process:errored']['error'] extends TendError ? true : false = true
sup.bus.on('process:*', (event: unknown) => void event)
// @ts-expect-error: the bus is an EventEmitter2, not anything at all
sup.bus.noSuchMethod()

import { connect, type SupervisorClient } from 'tendjs/rpc'
export async function remote(): Promise<ProcessInfo[]> {
  const client: SupervisorClient = await connect({ socketPath: '/tmp/x.sock' })
  // @ts-expect-error: the client's methods are async
  const listed: ProcessInfo[] = client.list()
  void listed
  return client.describe('api')
}

import { metrics, actions, onShutdown, type MetricSnapshot } from 'tendjs/app'
const requests = metrics.counter({ name: 'requests_total', help: 'Requests', labelNames: ['route'] })
requests.labels('/').inc()
// @ts-expect-error: a counter aggregates by sum only
metrics.counter({ name: 'x', help: 'x', aggregate: 'max' })
actions.register('flush', async (_params, { signal }) => !signal.aborted)
onShutdown(async () => {})
export const snapshot: MetricSnapshot[] = metrics.snapshot()
export async function trigger(client: SupervisorClient): Promise<unknown> {
  const [outcome] = await client.invoke('api', 'flush', {}, { timeout: 1000 })
  return outcome?.status === 'fulfilled' ? outcome.value : outcome?.reason.code
}
