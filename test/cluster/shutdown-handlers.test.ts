/**
 * Shutdown code runs in cluster mode: the app's SIGINT handler on stop,
 * reload and scale-down, whatever else keeps the worker alive; WebSocket
 * clients get the app's own close code, not an abnormal 1006.
 */
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { fixture, nextEvent, onCleanup, supervisor, tempDir, until } from '../helpers.js'
import { freePort } from '../http-load.js'

function handled(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
}

describe('shutdown handlers in cluster mode', { timeout: 120_000 }, () => {
  it("runs the app's SIGINT handler on stop, reload and scale-down when its server was all that kept it alive", async () => {
    const sup = supervisor()
    const file = join(tempDir(), 'handled.log')
    const started = await sup.start({
      name: 'web',
      script: fixture('shutdown-handler-http.cjs'),
      args: [file],
      mode: 'cluster',
      instances: 2,
      env: { PORT: String(await freePort()) },
    })
    const [first, second] = started.map((info) => info.pid)
    await sup.scale('web', 1)
    await until(() => handled(file).includes(`handled ${second}`), { message: 'the scaled-down worker to run its handler' })
    await sup.reload('web')
    await until(() => handled(file).includes(`handled ${first}`), { message: 'the reloaded worker to run its handler' })
    const [current] = sup.describe('web')
    await sup.stop('web')
    expect(handled(file)).toEqual([`handled ${second}`, `handled ${first}`, `handled ${current!.pid}`])
  })

  it("lets the app close WebSocket clients itself (1001) after the drain's grace, with no SIGKILL", async () => {
    const sup = supervisor()
    const port = await freePort()
    const [info] = await sup.start({
      name: 'ws',
      script: fixture('ws-server.cjs'),
      mode: 'cluster',
      killTimeout: 8000,
      env: { PORT: String(port) },
    })
    const client = new WebSocket(`ws://127.0.0.1:${port}/`)
    onCleanup(() => client.terminate())
    const greeted = new Promise<string>((resolve) => client.once('message', (data: Buffer) => resolve(data.toString())))
    const closed = new Promise<number>((resolve) => client.once('close', (code: number) => resolve(code)))
    expect(await greeted).toBe(`hello from ${info!.pid}`)
    const exit = nextEvent(sup, 'process:exit')
    await sup.stop('ws')
    expect(await closed).toBe(1001)
    expect(await exit).toMatchObject({ reason: 'stop', forced: false })
  })
})
