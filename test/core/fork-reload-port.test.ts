/**
 * A fork-mode reload of an app that owns its port (no `listen`): the new
 * child cannot bind while the old one flushes, so it is retried until the old
 * one has gone, and the reload resolves only with the app serving again, or
 * rejects. Never the app down and a success.
 */
import { describe, expect, it } from 'vitest'
import { CrashLoopError } from '../../src/index.js'
import { fixture, supervisor } from '../helpers.js'
import { freePort, waitForHttp } from '../http-load.js'

async function answer(port: number): Promise<string> {
  return fetch(`http://127.0.0.1:${port}/`).then(
    (response) => response.text(),
    () => 'down',
  )
}

describe('fork-mode reload of an app that owns its port', { timeout: 120_000 }, () => {
  it('retries a replacement that hits EADDRINUSE until the old process has gone, and ends serving', async () => {
    const sup = supervisor()
    const port = await freePort()
    const [before] = await sup.start({ name: 'api', script: fixture('port-flush-http.cjs'), args: ['1500'], env: { PORT: String(port) } })
    expect(await waitForHttp(port)).toBe(String(before!.pid)) // listening, its SIGINT handler in place
    const [after] = await sup.reload('api')
    expect(after).toMatchObject({ status: 'online' })
    expect(after!.pid).not.toBe(before!.pid)
    expect(await answer(port)).toBe(String(after!.pid))
    expect(sup.describe('api')[0]).toMatchObject({ status: 'online', unstableRestarts: 0 })
  })

  it('rejects when the replacement never comes up, rather than report success with the app down', async () => {
    const sup = supervisor()
    const port = await freePort()
    await sup.start({ name: 'api', script: fixture('port-flush-http.cjs'), args: ['300'], env: { PORT: String(port) }, maxRestarts: 3 })
    await waitForHttp(port)
    // another program takes the port for good the moment the old process lets it go: every retry fails
    const { createServer } = await import('node:net')
    const squatter = createServer()
    const squat = (): void => void squatter.listen(port, '127.0.0.1').once('error', () => setTimeout(squat, 20))
    const reload = sup.reload('api')
    squat()
    try {
      await expect(reload).rejects.toBeInstanceOf(CrashLoopError)
      expect(sup.describe('api')[0]!.status).toBe('errored')
    } finally {
      await new Promise((resolve) => squatter.close(resolve))
    }
  })
})
