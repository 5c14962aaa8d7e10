import { describe, expect, it } from 'vitest'
import { fixture, nextEvent, supervisor, until } from '../helpers.js'
import type { ProcessMetrics } from '../../src/index.js'
import type { AppSpec, Supervisor } from '../../src/index.js'

const K = 250

function app(overrides: Partial<AppSpec> = {}): AppSpec {
  return {
    name: 'jobs',
    script: fixture('app-sdk.mjs'),
    interpreterArgs: ['--import', 'tsx'],
    mode: 'cluster',
    instances: 4,
    waitReady: true,
    listenTimeout: 30_000,
    env: { COUNT: K },
    ...overrides,
  }
}

/** Waits until every process of the target has reported `name`. */
async function reported(sup: Supervisor, target: string, name: string): Promise<ProcessMetrics[]> {
  await until(() => sup.metrics(target).every((one) => one.metrics.some((metric) => metric.name === name)), {
    timeout: 30_000,
    message: `every process of ${target} to report ${name}`,
  })
  return sup.metrics(target)
}

function line(text: string, start: string): string[] {
  return text.split('\n').filter((one) => one.startsWith(start))
}

describe('custom metrics from tendjs/app', () => {
  it('gives per-instance series and one aggregated per app series: counter sum, gauge max, histogram buckets merged', async () => {
    const sup = supervisor()
    const messages: unknown[] = []
    sup.on('process:message', (event) => messages.push(event.message))
    await sup.start(app())
    const processes = await reported(sup, 'jobs', 'job_seconds')
    // tendjs/app's own messages are taken off the channel: only 'ready' is the app's to see
    expect(new Set(messages)).toEqual(new Set(['ready']))
    expect(processes).toHaveLength(4)
    for (const one of processes) {
      const jobs = one.metrics.find((metric) => metric.name === 'jobs_total')!
      expect(jobs.series).toEqual([{ labels: { kind: 'email' }, value: K }])
      expect([...one.actions].sort()).toEqual(['boom', 'echo', 'slow'])
    }
    const text = await sup.prometheus()
    expect(text).toContain('# TYPE jobs_total counter')
    const counters = line(text, 'jobs_total{')
    // four per-instance series and the app's
    expect(counters.filter((one) => one.includes('id="'))).toHaveLength(4)
    for (const one of counters.filter((series) => series.includes('id="'))) expect(one).toMatch(new RegExp(` ${K}$`))
    expect(counters.filter((one) => !one.includes('id="'))).toEqual([`jobs_total{kind="email",app="jobs"} ${4 * K}`])
    expect(line(text, 'queue_depth{app="jobs"}')).toEqual(['queue_depth{app="jobs"} 30'])
    // buckets 0.1 and 1: one observation of 0.05 (instance 0), three of 0.5
    expect(line(text, 'job_seconds_bucket{app="jobs",le="0.1"}')).toEqual(['job_seconds_bucket{app="jobs",le="0.1"} 1'])
    expect(line(text, 'job_seconds_bucket{app="jobs",le="1"}')).toEqual(['job_seconds_bucket{app="jobs",le="1"} 4'])
    expect(line(text, 'job_seconds_bucket{app="jobs",le="+Inf"}')).toEqual(['job_seconds_bucket{app="jobs",le="+Inf"} 4'])
    expect(line(text, 'job_seconds_count{app="jobs"}')).toEqual(['job_seconds_count{app="jobs"} 4'])
    expect(line(text, 'job_seconds_sum{app="jobs"}')[0]).toMatch(/ 1\.55\d*$/)
    // tend's own figures sit next to them
    expect(text).toContain('# TYPE tend_process_status gauge')
  })

  it('leaves no stale series of a process deleted mid-way', async () => {
    const sup = supervisor()
    const [first] = await sup.start(app({ instances: 2 }))
    await reported(sup, 'jobs', 'jobs_total')
    await sup.delete(first!.id)
    const text = await sup.prometheus()
    expect(line(text, 'jobs_total{').filter((one) => one.includes('id="'))).toHaveLength(1)
    expect(text).not.toContain(`id="${first!.id}"`)
    expect(line(text, 'jobs_total{kind="email",app="jobs"}')).toEqual([`jobs_total{kind="email",app="jobs"} ${K}`])
    await sup.delete('jobs')
    expect(await sup.prometheus()).not.toContain('jobs_total')
    expect(sup.metrics()).toEqual([])
  })

  it('a reload hands the series over to each replacement: one series per process, from its new pid', async () => {
    const sup = supervisor()
    await sup.start(app({ instances: 2 }))
    await reported(sup, 'jobs', 'jobs_total')
    const before = sup.list().map((info) => info.pid)
    await sup.reload('jobs')
    const after = sup.list().map((info) => info.pid)
    expect(after.some((pid, index) => pid === before[index])).toBe(false)
    await until(() => sup.metrics('jobs').every((one) => one.reportedAt !== null && one.actions.length === 3), {
      timeout: 30_000,
      message: 'the replacements to report',
    })
    const text = await sup.prometheus()
    expect(line(text, 'jobs_total{').filter((one) => one.includes('id="'))).toHaveLength(2)
    expect(line(text, 'jobs_total{kind="email",app="jobs"}')).toEqual([`jobs_total{kind="email",app="jobs"} ${2 * K}`])
    const echo = await sup.invoke('jobs', 'echo', 1)
    expect(echo.every((one) => one.status === 'fulfilled')).toBe(true)
  })

  it('reports a bad metric name once as a typed event, and keeps the others', async () => {
    const sup = supervisor()
    const invalid: string[] = []
    sup.on('process:metric-invalid', (event) => invalid.push(`${event.process.id}:${event.metric}`))
    const event = nextEvent(sup, 'process:metric-invalid')
    await sup.start(app({ mode: 'fork', instances: 1, env: { COUNT: 3, BAD_METRIC: '1' } }))
    expect((await event).metric).toBe('bad name!')
    const [one] = await reported(sup, 'jobs', 'jobs_total')
    expect(one!.metrics.map((metric) => metric.name)).not.toContain('bad name!')
    await sup.prometheus()
    expect(invalid).toHaveLength(1)
  })
})

describe('actions', () => {
  it('runs an action with params, and reports one that times out, one that throws and an unknown one', async () => {
    const sup = supervisor()
    await sup.start(app({ instances: 2 }))
    await reported(sup, 'jobs', 'jobs_total')
    const echo = await sup.invoke('jobs', 'echo', { n: 1 })
    expect(echo.map((one) => one.status === 'fulfilled' && one.value)).toEqual([
      { got: { n: 1 }, instance: 0 },
      { got: { n: 1 }, instance: 1 },
    ])
    const [slow] = await sup.invoke(echo[0]!.id, 'slow', null, { timeout: 300 })
    expect(slow).toMatchObject({ status: 'rejected', reason: { code: 'TEND_ERR_ACTION_TIMEOUT', action: 'slow', timeout: 300 } })
    const [boom] = await sup.invoke(echo[0]!.id, 'boom')
    expect(boom).toMatchObject({ status: 'rejected', reason: { code: 'TEND_ERR_ACTION_FAILED', reason: 'RangeError' } })
    expect(boom!.status === 'rejected' && boom!.reason.message).toContain('kaput')
    const unknown = await sup.invoke('jobs', 'nope')
    expect(unknown.map((one) => one.status === 'rejected' && one.reason.code)).toEqual([
      'TEND_ERR_ACTION_UNKNOWN',
      'TEND_ERR_ACTION_UNKNOWN',
    ])
    await expect(sup.invoke('jobs', '')).rejects.toMatchObject({ code: 'TEND_ERR_INVALID_ARGUMENT' })
    await expect(sup.invoke('nothing', 'echo')).rejects.toMatchObject({ code: 'TEND_ERR_NOT_FOUND' })
  })
})
