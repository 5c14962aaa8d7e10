import { describe, expect, it } from 'vitest'
import { families, type Reporter } from '../../src/app-metrics/aggregate.js'
import { fromMonitor, pm2MetricName } from '../../src/app-metrics/pm2-io.js'
import { checkMetric } from '../../src/app-metrics/validate.js'
import type { Aggregate, MetricSnapshot } from '../../src/app/protocol.js'

function gauge(aggregate: Aggregate, value: number, name = 'depth'): MetricSnapshot {
  return { name, help: name, kind: 'gauge', aggregate, labelNames: [], series: [{ labels: {}, value }] }
}

function reporters(metrics: (instance: number) => MetricSnapshot[]): Reporter[] {
  // given out of order on purpose: 'first' is the lowest instance, whatever the order
  return [2, 0, 1].map((instance) => ({ app: 'api', instance, id: 10 + instance, metrics: metrics(instance) }))
}

describe('families()', () => {
  it.each([
    ['sum', 3 + 7 + 5],
    ['max', 7],
    ['min', 3],
    ['avg', 5],
    ['first', 3],
  ] as const)('combines a gauge by %s', (aggregate, expected) => {
    const values = [3, 7, 5]
    const [family] = families(
      reporters((instance) => [gauge(aggregate, values[instance]!)]),
      () => expect.fail('no problem expected'),
    )
    expect(family!.instances).toHaveLength(3)
    expect(family!.apps).toEqual([{ labels: { app: 'api' }, value: expected }])
  })

  it('leaves out, with a problem, a process whose metric disagrees with the family', () => {
    const problems: string[] = []
    const [family] = families(
      reporters((instance) => [gauge(instance === 2 ? 'max' : 'sum', 1)]),
      (reporter, problem) => problems.push(`${reporter.id}:${problem.metric}`),
    )
    expect(problems).toEqual(['12:depth'])
    expect(family!.apps).toEqual([{ labels: { app: 'api' }, value: 2 }])
  })
})

describe('checkMetric()', () => {
  const good = {
    name: 'ok_total',
    help: 'h',
    kind: 'counter',
    aggregate: 'sum',
    labelNames: ['route'],
    series: [{ labels: { route: '/' }, value: 1 }],
  }
  it.each([
    [{ ...good, name: '9lives' }, /not a Prometheus metric name/],
    [{ ...good, name: 'tend_process_cpu' }, /tend’s own/],
    [{ ...good, kind: 'summary' }, /kind/],
    [{ ...good, aggregate: 'max' }, /sum only/],
    [{ ...good, labelNames: ['app'] }, /tend's/],
    [{ ...good, labelNames: ['bad-label'] }, /not valid/],
    [{ ...good, series: [{ labels: { other: 'x' }, value: 1 }] }, /labels other than/],
    [{ ...good, series: [{ labels: {}, value: 'one' }] }, /not a number/],
    [{ ...good, kind: 'histogram', buckets: [1, 0.5], series: [] }, /ascending/],
    [
      { ...good, kind: 'histogram', buckets: [1], labelNames: [], series: [{ labels: {}, counts: [1], sum: 1, count: 1 }] },
      /match its buckets/,
    ],
    [null, /not a Prometheus metric name/],
  ])('rejects %j', (raw, reason) => {
    const checked = checkMetric(raw)
    expect('problem' in checked && checked.problem.reason).toMatch(reason)
  })
  it('keeps a good one', () => {
    expect(checkMetric(good)).toEqual({ metric: { ...good, source: 'tend' } })
  })
})

describe('@pm2/io probes', () => {
  it('names them as Prometheus does and keeps numbers only', () => {
    expect(pm2MetricName('Realtime user')).toBe('realtime_user')
    expect(pm2MetricName('req/sec')).toBe('req_sec')
    expect(pm2MetricName('95th percentile')).toBe('_95th_percentile')
    const metrics = fromMonitor({
      'Heap Size': { value: 12.5, unit: 'MiB' },
      Version: { value: 'v1' },
      Up: { value: true, agg_type: 'max' },
    })
    expect(metrics.map(({ name, aggregate, help }) => ({ name, aggregate, help }))).toEqual([
      { name: 'heap_size', aggregate: 'avg', help: 'Heap Size (MiB)' },
      { name: 'up', aggregate: 'max', help: 'Up' },
    ])
  })
})
