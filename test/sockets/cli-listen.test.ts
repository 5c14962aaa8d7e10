/** `tend start --listen`: the daemon holds the socket across reloads and frees it on delete. */
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import type { ProcessDescription, ProcessInfo } from '../../src/index.js'
import { tendHome } from '../adapters/cli/cli-helpers.js'
import { fixture } from '../helpers.js'
import { freePort, get, waitForHttp } from '../http-load.js'

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

describe('tend start --listen', () => {
  it('holds the sockets given (repeatable), shows them, and frees them on delete', async () => {
    const tend = tendHome()
    const web = await freePort()
    let admin = await freePort()
    while (admin === web) admin = await freePort() // the OS may hand out a released port again
    const [app] = await tend.json<ProcessInfo[]>([
      'start',
      fixture('held-http.cjs'),
      '--name',
      'held',
      '--listen',
      `127.0.0.1:${web}`,
      '--listen',
      `127.0.0.1:${admin}`,
    ])
    expect(app!.sockets.map((socket) => [socket.port, socket.fd])).toEqual([
      [web, 3],
      [admin, 4],
    ])
    const [description] = await tend.json<ProcessDescription[]>(['describe', 'held', '--json'])
    expect(description!.spec.listen).toHaveLength(2)
    await waitForHttp(web)
    const [reloaded] = await tend.json<ProcessInfo[]>(['reload', 'held'])
    expect(await get(web)).toBe(String(reloaded!.pid))
    const described = await tend.run(['describe', 'held'])
    expect(described.stdout).toContain(`127.0.0.1:${web} (fd 3, port-${web})`)
    expect(await canBind(web)).toBe(false)
    await tend.json(['delete', 'held'])
    expect(await canBind(web)).toBe(true)
    expect(await canBind(admin)).toBe(true)
  }, 120_000)

  it('says why when the port is in use', async () => {
    const tend = tendHome()
    const port = await freePort()
    const holder = net.createServer()
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve))
    try {
      const result = await tend.run(['start', fixture('held-http.cjs'), '--listen', `127.0.0.1:${port}`])
      expect(result.code).not.toBe(0)
      expect(result.stderr).toContain(`Cannot listen on 127.0.0.1:${port}`)
      expect(result.stderr).toContain(`pid ${process.pid}`)
      expect(result.stderr).toContain('TEND_ERR_LISTEN')
    } finally {
      await new Promise((resolve) => holder.close(resolve))
    }
  }, 120_000)
})
