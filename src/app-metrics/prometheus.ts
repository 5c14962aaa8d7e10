/**
 * The Prometheus exposition of a Supervisor, built with prom-client on a
 * registry of its own per scrape (never prom-client's global one): tend's
 * own figures per process (cpu, memory, restarts, status), then each custom
 * metric family with its per-instance series (labels app, instance, id) and
 * its per-app series (label app only; select them with `{id=""}`).
 */
import promClient, { type Metric } from 'prom-client'
import type { ProcessInfo } from '../types.js'
import type { Family, FamilySeries } from './aggregate.js'

const { Gauge, Registry } = promClient

const STATUSES = ['launching', 'online', 'stopping', 'stopped', 'waiting-restart', 'errored'] as const

function addProcessGauges(registry: InstanceType<typeof Registry>, processes: readonly ProcessInfo[]): void {
  const labelNames = ['name', 'namespace', 'id', 'instance'] as const
  const labels = (info: ProcessInfo) => ({
    name: info.name,
    namespace: info.namespace,
    id: String(info.id),
    instance: String(info.instance),
  })
  const gauge = (name: string, help: string, value: (info: ProcessInfo) => number): void => {
    const metric = new Gauge({ name, help, labelNames, registers: [registry] })
    for (const info of processes) metric.set(labels(info), value(info))
  }
  gauge('tend_process_cpu_percent', 'CPU use of the process in percent of one core (last sample)', (info) => info.cpu)
  gauge('tend_process_memory_bytes', 'Resident memory of the process in bytes (last sample)', (info) => info.memory)
  gauge('tend_process_restarts', 'Restarts of the process since its app was started', (info) => info.restarts)
  const status = new Gauge({
    name: 'tend_process_status',
    help: 'Status of the process: 1 for its current status, 0 for the others',
    labelNames: [...labelNames, 'status'],
    registers: [registry],
  })
  for (const info of processes) {
    for (const one of STATUSES) status.set({ ...labels(info), status: one }, info.status === one ? 1 : 0)
  }
  // Probes' findings, for the processes whose apps have probes and a child now (a stopped one's health is its last run's).
  const probed = processes.filter((info) => info.health && info.pid !== null)
  if (probed.length === 0) return
  const ready = new Gauge({
    name: 'tend_process_ready',
    help: 'Whether the process passes its readiness probe: 1 ready, 0 not (apps with probes only)',
    labelNames,
    registers: [registry],
  })
  const healthy = new Gauge({
    name: 'tend_process_healthy',
    help: 'What the probes of the process found: 1 healthy, 0 unhealthy or not known yet (apps with probes only)',
    labelNames,
    registers: [registry],
  })
  for (const info of probed) {
    ready.set(labels(info), info.health!.ready ? 1 : 0)
    healthy.set(labels(info), info.health!.status === 'healthy' ? 1 : 0)
  }
}

interface Value {
  readonly labels: Record<string, string>
  readonly value: number
  readonly metricName?: string
}

function valuesOf(family: Family, series: FamilySeries): Value[] {
  const labels = { ...series.labels }
  if (family.kind !== 'histogram') return [{ labels, value: series.value! }]
  const values: Value[] = []
  let cumulative = 0
  family.buckets!.forEach((bound, index) => {
    cumulative += series.counts![index]!
    values.push({ labels: { ...labels, le: String(bound) }, value: cumulative, metricName: `${family.name}_bucket` })
  })
  values.push({ labels: { ...labels, le: '+Inf' }, value: series.count!, metricName: `${family.name}_bucket` })
  values.push({ labels, value: series.sum!, metricName: `${family.name}_sum` })
  values.push({ labels, value: series.count!, metricName: `${family.name}_count` })
  return values
}

/** A family as prom-client's registry takes a metric: something with get(). */
function familyMetric(family: Family): Metric {
  const type = family.kind
  const get = () => ({
    name: family.name,
    help: family.help,
    type,
    aggregator: 'sum' as const,
    values: [...family.instances, ...family.apps].flatMap((series) => valuesOf(family, series)),
  })
  return { name: family.name, help: family.help, type, get } as unknown as Metric
}

export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE

/** The exposition text: tend's process gauges and the custom families. */
export function exposition(processes: readonly ProcessInfo[], custom: readonly Family[]): Promise<string> {
  const registry = new Registry()
  addProcessGauges(registry, processes)
  for (const family of custom) registry.registerMetric(familyMetric(family))
  return registry.metrics()
}
