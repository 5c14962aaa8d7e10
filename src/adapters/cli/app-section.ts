/** The part of `tend describe` about what the app reports from inside: its actions and custom metrics. */
import type { MetricSnapshot, ProcessMetrics } from '../../app-metrics/types.js'
import type { ProcessInfo } from '../../types.js'
import type { SupervisorClient } from '../rpc/client.js'
import { isMissingMethod } from './context.js'

function metricLine(metric: MetricSnapshot): string {
  const values = metric.series.map((series) => {
    const labels = Object.entries(series.labels).map(([key, value]) => `${key}=${value}`)
    const value = 'value' in series ? String(series.value) : `count ${series.count}, sum ${series.sum}`
    return labels.length > 0 ? `{${labels.join(',')}} ${value}` : value
  })
  const source = metric.source === 'pm2' ? ', @pm2/io' : ''
  return `  ${metric.name} (${metric.kind}, ${metric.aggregate}${source}): ${values.join('; ') || 'no series yet'}`
}

function sectionOf(one: ProcessMetrics): string {
  const lines = [`app metrics and actions of ${one.name}#${one.instance} (id ${one.id})`]
  lines.push(`  actions: ${one.actions.length > 0 ? one.actions.join(', ') : 'none'}`)
  if (one.metrics.length === 0) lines.push('  metrics: none reported')
  else lines.push(...one.metrics.map(metricLine))
  return lines.join('\n')
}

/** The section for the described processes, or '' when none reports anything (or the daemon predates it). */
export async function appSection(client: SupervisorClient, processes: readonly ProcessInfo[]): Promise<string> {
  if (processes.length === 0) return ''
  let reported: ProcessMetrics[]
  try {
    reported = await client.metrics(processes.map((info) => info.id))
  } catch (error) {
    if (isMissingMethod(error)) return ''
    throw error
  }
  const some = reported.filter((one) => one.metrics.length > 0 || one.actions.length > 0)
  return some.length === 0 ? '' : `\n\n${some.map(sectionOf).join('\n\n')}`
}
