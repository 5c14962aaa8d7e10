import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fixture, nextEvent, supervisor, tempDir, waitForLine } from '../helpers.js'
import type { AppSpec } from '../../src/index.js'

function app(dir: string, overrides: Partial<AppSpec> = {}): AppSpec {
  return {
    name: 'flusher',
    script: fixture('app-shutdown.mjs'),
    interpreterArgs: ['--import', 'tsx'],
    waitReady: true,
    listenTimeout: 30_000,
    killTimeout: 10_000,
    env: { MARK_FILE: join(dir, 'mark') },
    ...overrides,
  }
}

describe('onShutdown() runs its callbacks on a graceful stop, then exits', () => {
  for (const [mode, how] of [
    ['fork', { killSignal: 'SIGINT' }],
    ['fork', { killSignal: 'SIGTERM' }],
    ['fork', { shutdownWithMessage: true }],
    ['cluster', {}],
  ] as const) {
    it(`${mode} mode, ${JSON.stringify(how)}`, async () => {
      const dir = tempDir()
      const sup = supervisor()
      const [info] = await sup.start(app(dir, { mode, ...how }))
      const exit = nextEvent(sup, 'process:exit')
      await sup.stop('flusher')
      expect(await exit).toMatchObject({ reason: 'stop', code: 0, signal: null })
      expect(existsSync(join(dir, 'mark'))).toBe(true)
      expect(readFileSync(join(dir, 'mark'), 'utf8')).toBe(`flushed by ${info!.pid}`)
    })
  }
})

describe('the OpenTelemetry hand-off', () => {
  it('gives each instance OTEL_SERVICE_NAME and its service.instance.id', async () => {
    const sup = supervisor()
    await sup.start(app(tempDir(), { instances: 2 }))
    const [, first] = await waitForLine(sup, 'flusher', /^otel (.*flusher-0".*)$/)
    expect(JSON.parse(first!)).toEqual({ name: 'flusher', attributes: 'service.instance.id=flusher-0' })
    const [, second] = await waitForLine(sup, 'flusher', /^otel (.*flusher-1".*)$/)
    expect(JSON.parse(second!)).toEqual({ name: 'flusher', attributes: 'service.instance.id=flusher-1' })
  })

  it('keeps a service name that is set and appends to attributes that are', async () => {
    const sup = supervisor()
    const dir = tempDir()
    await sup.start(
      app(dir, {
        env: { MARK_FILE: join(dir, 'mark'), OTEL_SERVICE_NAME: 'billing', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod' },
      }),
    )
    const [, line] = await waitForLine(sup, 'flusher', /^otel (.*)$/)
    expect(JSON.parse(line!)).toEqual({ name: 'billing', attributes: 'deployment.environment=prod,service.instance.id=flusher-0' })
  })
})
