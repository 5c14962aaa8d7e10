import { describe, expect, it } from 'vitest'
import { normalizeSpec } from '../../src/config/normalize.js'
import { InvalidSpecError } from '../../src/errors.js'
import { fixture } from '../helpers.js'

const context = { env: {}, baseCwd: process.cwd() }
const withProbes = (probes: unknown, env: Record<string, string> = { PORT: '3000' }) =>
  normalizeSpec({ script: fixture('probe-app.cjs'), env, probes }, context)

describe('probes option', () => {
  it("applies Kubernetes' defaults, reads durations like '5s', and defaults the port to PORT", () => {
    const { probes } = withProbes({ liveness: { http: { path: '/healthz' }, interval: '5s' }, readiness: { tcp: {}, successThreshold: 2 } })
    expect(probes!.liveness).toEqual({
      check: { kind: 'http', host: '127.0.0.1', port: null, path: '/healthz', expectStatus: null },
      initialDelay: 0,
      interval: 5000,
      timeout: 1000,
      failureThreshold: 3,
      successThreshold: 1,
    })
    expect(probes!.readiness!.check).toEqual({ kind: 'tcp', host: '127.0.0.1', port: null })
    expect(probes!.startup).toBeNull()
    expect(withProbes(undefined).probes).toBeNull()
  })

  it.each([
    [{ liveness: { tcp: { host: '10.0.0.1', port: 80 } } }, /probes\.liveness\.tcp\.host.*loopback/],
    [{ liveness: { http: {} } }, /probes\.liveness\.http\.port.*no PORT/, {}],
    [{ liveness: { logLine: 'up' } }, /probes\.liveness\.logLine/],
    [{ readiness: { http: { port: 1 }, tcp: { port: 1 } } }, /exactly one of/],
    [{ readines: { tcp: {} } }, /probes\.readines.*did you mean "readiness"/],
    [{ startup: { tcp: {}, successThreshold: 2 } }, /probes\.startup\.successThreshold/],
    [{ readiness: { tcp: {}, interval: 'soon' } }, /probes\.readiness\.interval/],
  ])('rejects %j by name', (probes, message, env?: Record<string, string>) => {
    expect(() => withProbes(probes, env)).toThrow(InvalidSpecError)
    expect(() => withProbes(probes, env)).toThrow(message)
  })

  it('turns a logLine string into a literal pattern', () => {
    const { probes } = withProbes({ readiness: { logLine: 'listening on (1.2)' } })
    const check = probes!.readiness!.check
    expect(check.kind === 'logLine' && check.pattern.test('listening on (1.2) now')).toBe(true)
    expect(check.kind === 'logLine' && check.pattern.test('listening on (152)')).toBe(false)
  })
})
