import { describe, expect, it } from 'vitest'
import { fixture, supervisor, until } from '../helpers.js'
import type { Supervisor } from '../../src/index.js'

async function probes(sup: Supervisor, target: string, names: string[]): Promise<void> {
  await until(() => sup.metrics(target).every((one) => names.every((name) => one.metrics.some((metric) => metric.name === name))), {
    timeout: 30_000,
    message: `${target} to report ${names.join(', ')}`,
  })
}

describe('apps instrumented for PM2 run unchanged', () => {
  it('@pm2/io: its metric, counter, meter and histogram are in metrics() and Prometheus; its actions run through invoke()', async () => {
    const sup = supervisor()
    await sup.start({ name: 'legacy', script: fixture('pm2-io-app.cjs'), instances: 2 })
    await probes(sup, 'legacy', ['realtime_user', 'jobs_done', 'req_sec', 'latency'])
    const [first] = sup.metrics('legacy')
    const value = (name: string) => {
      const metric = first!.metrics.find((one) => one.name === name)!
      return 'value' in metric.series[0]! ? metric.series[0].value : NaN
    }
    expect(value('realtime_user')).toBe(42)
    expect(value('jobs_done')).toBe(3)
    expect(value('latency')).toBe(15)
    expect(first!.metrics.find((one) => one.name === 'realtime_user')).toMatchObject({
      kind: 'gauge',
      source: 'pm2',
      help: 'Realtime user',
    })
    await until(() => sup.metrics('legacy').every((one) => one.actions.includes('greet')), { timeout: 30_000, message: 'the actions' })
    expect(first!.actions).toEqual(expect.arrayContaining(['db:clean', 'greet']))

    const text = await sup.prometheus()
    expect(text).toContain('# TYPE realtime_user gauge')
    // PM2 averages probes across instances unless a probe says otherwise
    expect(text).toContain('realtime_user{app="legacy"} 42')
    expect(text.split('\n').filter((line) => line.startsWith('jobs_done{'))).toHaveLength(3)

    const greet = await sup.invoke('legacy', 'greet', { who: 'tend' })
    expect(greet.map((one) => one.status === 'fulfilled' && one.value)).toEqual([{ hello: 'tend' }, { hello: 'tend' }])
    const [clean] = await sup.invoke(first!.id, 'db:clean')
    expect(clean).toMatchObject({ status: 'fulfilled', value: { cleaned: true } })
    const [unknown] = await sup.invoke(first!.id, 'nope')
    expect(unknown).toMatchObject({ status: 'rejected', reason: { code: 'TEND_ERR_ACTION_UNKNOWN' } })
  })

  it('tx2: its probes and actions', async () => {
    const sup = supervisor()
    await sup.start({ name: 'tx', script: fixture('tx2-app.cjs') })
    await probes(sup, 'tx', ['queue_size', 'orders'])
    const [one] = sup.metrics('tx')
    expect(one!.metrics.find((metric) => metric.name === 'queue_size')).toMatchObject({ series: [{ value: 7 }] })
    // tx2 marks its counters agg_type 'avg'
    expect(one!.metrics.find((metric) => metric.name === 'orders')).toMatchObject({ aggregate: 'avg', series: [{ value: 1 }] })
    await until(() => sup.metrics('tx')[0]!.actions.includes('ping'), { timeout: 30_000, message: 'the action' })
    const [ping] = await sup.invoke('tx', 'ping')
    expect(ping).toMatchObject({ status: 'fulfilled', value: { pong: true } })
  })
})
