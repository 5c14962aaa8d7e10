import { describe, expectTypeOf, it } from 'vitest'
import { Supervisor, type AppSpec, type MetricsEvent, type ProcessRestartEvent } from '../../src/index.js'

describe('restart policy and trigger types', () => {
  it('accepts the documented forms of the new spec keys', () => {
    const spec: AppSpec = {
      script: 'server.js',
      backoff: { initialDelay: '200ms', factor: 2, maxDelay: '1m', resetAfter: 60_000, jitter: true },
      maxMemoryRestart: '200M',
      cronRestart: '0 3 * * *',
      watch: ['src', 'config'],
      ignoreWatch: '*.log',
      watchDelay: '2s',
    }
    expectTypeOf(spec).toMatchTypeOf<AppSpec>()
    expectTypeOf<{ script: string; backoff: true; watch: true; maxMemoryRestart: 1024 }>().toMatchTypeOf<AppSpec>()
    // @ts-expect-error: a size needs a known unit
    const badSize: AppSpec = { script: 'a.js', maxMemoryRestart: '200X' }
    // @ts-expect-error: backoff keys are checked
    const badKey: AppSpec = { script: 'a.js', backoff: { maxDelya: 100 } }
    void badSize
    void badKey
  })

  it('types the restart and metrics payloads', () => {
    const sup = new Supervisor({ metricsInterval: 0 })
    sup.on('process:restart', (event) => {
      expectTypeOf(event).toEqualTypeOf<ProcessRestartEvent>()
      expectTypeOf(event.delay).toBeNumber()
      expectTypeOf(event.attempt).toBeNumber()
    })
    sup.on('metrics', (event) => {
      expectTypeOf(event).toEqualTypeOf<MetricsEvent>()
      expectTypeOf(event.processes[0]!.memory).toBeNumber()
    })
    expectTypeOf(sup.list()[0]!.nextRestartAt).toEqualTypeOf<number | null>()
  })
})
