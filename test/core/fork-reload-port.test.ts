/**
 * A fork-mode reload of an app that owns its port (no `listen`): the new
 * child cannot bind while the old one flushes, so it is retried until the old
 * one has gone, and the reload resolves only with the app serving again, or
 * rejects. Never the app down and a success.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CrashLoopError } from '../../src/index.js'
import { fixture, supervisor, tempDir } from '../helpers.js'
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
    const flag = join(tempDir(), 'flag')
    const spec = { name: 'api', script: fixture('port-flush-http.cjs'), args: ['300', flag], env: { PORT: String(port) }, maxRestarts: 3 }
    await sup.start(spec)
    await waitForHttp(port)
    writeFileSync(flag, 'broken') // the new release throws at start: retried while the old one flushes, then a crash loop
    await expect(sup.reload('api')).rejects.toBeInstanceOf(CrashLoopError)
    expect(sup.describe('api')[0]!.status).toBe('errored')
  })
})
