/**
 * The `probes` option of a spec: startup, readiness and liveness, each one
 * check (http, tcp, exec, logLine) with Kubernetes' timing defaults. Probes
 * reach only the app's own loopback address; `port` defaults to its `PORT`.
 */
import type { SpecFields } from '../config/spec-fields.js'
import type { NormalizedProbe, NormalizedProbeCheck, NormalizedProbes } from '../types.js'

/** Kubernetes' defaults for a probe's timing. */
export const PROBE_DEFAULTS = Object.freeze({
  initialDelay: 0,
  interval: 10_000,
  timeout: 1000,
  failureThreshold: 3,
  successThreshold: 1,
})

const KINDS = ['startup', 'readiness', 'liveness'] as const
const CHECKS = ['http', 'tcp', 'exec', 'logLine'] as const
const PROBE_KEYS = [...CHECKS, ...Object.keys(PROBE_DEFAULTS)]

/** Loopback only: a probe checks the app itself, never another host. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

export function normalizeProbes(fields: SpecFields, portEnv: string | undefined): NormalizedProbes | null {
  const value = fields.get('probes')
  if (value === undefined || value === null) return null
  if (typeof value !== 'object' || Array.isArray(value))
    return fields.fail('probes', 'an object with startup, readiness or liveness', value)
  const input = value as Record<string, unknown>
  fields.rejectUnknownKeys('probes', input, KINDS)
  const probes: Record<(typeof KINDS)[number], NormalizedProbe | null> = { startup: null, readiness: null, liveness: null }
  for (const kind of KINDS) {
    if (input[kind] !== undefined) probes[kind] = normalizeProbe(fields, `probes.${kind}`, input[kind], kind, portEnv)
  }
  return Object.freeze(probes)
}

function normalizeProbe(
  fields: SpecFields,
  option: string,
  value: unknown,
  kind: (typeof KINDS)[number],
  portEnv: string | undefined,
): NormalizedProbe {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fields.fail(option, `an object with one of ${CHECKS.join(', ')}`, value)
  }
  const input = value as Record<string, unknown>
  fields.rejectUnknownKeys(option, input, PROBE_KEYS)
  const given = CHECKS.filter((check) => input[check] !== undefined)
  if (given.length !== 1)
    fields.problem(option, `expected exactly one of ${CHECKS.join(', ')}, got ${given.length === 0 ? 'none' : given.join(' and ')}`)
  const check = normalizeCheck(fields, `${option}.${given[0]}`, given[0]!, input[given[0]!], portEnv)
  if (check.kind === 'logLine' && kind === 'liveness')
    fields.problem(`${option}.logLine`, 'a line of output says an app got ready, not that it is alive; use it for startup or readiness')
  const successThreshold = fields.integer(`${option}.successThreshold`, 1, input.successThreshold ?? PROBE_DEFAULTS.successThreshold)
  if (successThreshold !== 1 && kind !== 'readiness')
    fields.problem(`${option}.successThreshold`, 'must be 1 for startup and liveness probes (as in Kubernetes)')
  return Object.freeze({
    check: Object.freeze(check),
    initialDelay: fields.duration(`${option}.initialDelay`, input.initialDelay ?? PROBE_DEFAULTS.initialDelay),
    interval: positive(fields, `${option}.interval`, input.interval ?? PROBE_DEFAULTS.interval),
    timeout: positive(fields, `${option}.timeout`, input.timeout ?? PROBE_DEFAULTS.timeout),
    failureThreshold: fields.integer(`${option}.failureThreshold`, 1, input.failureThreshold ?? PROBE_DEFAULTS.failureThreshold),
    successThreshold,
  })
}

function positive(fields: SpecFields, option: string, value: unknown): number {
  const ms = fields.duration(option, value)
  if (ms < 1) fields.fail(option, 'a duration of at least 1 ms', value)
  return ms
}

function normalizeCheck(
  fields: SpecFields,
  option: string,
  check: (typeof CHECKS)[number],
  value: unknown,
  portEnv: string | undefined,
): NormalizedProbeCheck {
  if (check === 'logLine') {
    if (value instanceof RegExp) return { kind: 'logLine', pattern: new RegExp(value.source, value.flags.replace(/[gy]/g, '')) }
    if (typeof value === 'string' && value !== '')
      return { kind: 'logLine', pattern: new RegExp(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }
    return fields.fail(option, 'a non-empty string or a RegExp', value)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fields.fail(option, 'an object', value)
  const input = value as Record<string, unknown>
  if (check === 'exec') {
    fields.rejectUnknownKeys(option, input, ['command', 'args'])
    if (typeof input.command !== 'string' || input.command.trim() === '')
      fields.fail(`${option}.command`, 'a non-empty string', input.command)
    const args = input.args ?? []
    if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) fields.fail(`${option}.args`, 'an array of strings', args)
    return { kind: 'exec', command: input.command, args: Object.freeze([...args]) }
  }
  fields.rejectUnknownKeys(option, input, check === 'http' ? ['path', 'port', 'host', 'expectStatus'] : ['port', 'host'])
  const host = input.host ?? '127.0.0.1'
  if (typeof host !== 'string' || !isLoopback(host))
    fields.fail(`${option}.host`, "a loopback address ('127.0.0.1', '::1' or 'localhost'): a probe checks the app itself", host)
  let port: number | null = null
  if (input.port !== undefined) {
    if (typeof input.port !== 'number' || !Number.isInteger(input.port) || input.port < 1 || input.port > 65535)
      fields.fail(`${option}.port`, 'a port (1 to 65535)', input.port)
    port = input.port
  } else if (portEnv === undefined || !/^\d+$/.test(portEnv)) {
    fields.problem(`${option}.port`, 'no port given and the app has no PORT in its env to default to')
  }
  if (check === 'tcp') return { kind: 'tcp', host, port }
  const path = input.path ?? '/'
  if (typeof path !== 'string' || !path.startsWith('/')) fields.fail(`${option}.path`, "a path starting with '/'", path)
  let expectStatus: readonly number[] | null = null
  if (input.expectStatus !== undefined) {
    const list = typeof input.expectStatus === 'number' ? [input.expectStatus] : input.expectStatus
    if (!Array.isArray(list) || list.length === 0 || !list.every((code) => Number.isInteger(code) && code >= 100 && code <= 599)) {
      fields.fail(`${option}.expectStatus`, 'an HTTP status (100 to 599) or an array of them', input.expectStatus)
    }
    expectStatus = Object.freeze([...(list as number[])])
  }
  return { kind: 'http', host, port, path, expectStatus }
}
