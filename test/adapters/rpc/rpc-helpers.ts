/** A served Supervisor and raw socket access for RPC tests. */
import { createConnection, type Socket } from 'node:net'
import { join } from 'node:path'
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, serve, type ServeOptions, type SupervisorClient } from '../../../src/rpc.js'
import { onCleanup, supervisor } from '../../helpers.js'
import type { Supervisor } from '../../../src/index.js'

/** A short temp dir under /tmp (Unix socket paths are limited to ~107 bytes). */
export function shortTempDir(): string {
  const dir = mkdtempSync('/tmp/tend-')
  onCleanup(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export async function served(
  options: Partial<ServeOptions> = {},
): Promise<{ sup: Supervisor; socketPath: string; client: () => Promise<SupervisorClient> }> {
  const sup = supervisor()
  const socketPath = join(shortTempDir(), 'run', 'rpc.sock')
  const server = await serve(sup, { socketPath, ...options })
  onCleanup(() => server.close())
  const client = async (): Promise<SupervisorClient> => {
    const c = await connect({ socketPath })
    onCleanup(() => c.close())
    return c
  }
  return { sup, socketPath, client }
}

/** A raw socket that collects the JSON lines it receives. */
export async function rawSocket(
  socketPath: string,
): Promise<{ socket: Socket; messages: Record<string, unknown>[]; send(text: string): void }> {
  const socket = createConnection(socketPath)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  onCleanup(() => void socket.destroy())
  const messages: Record<string, unknown>[] = []
  let buffer = ''
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8')
    let newline: number
    while ((newline = buffer.indexOf('\n')) !== -1) {
      messages.push(JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>)
      buffer = buffer.slice(newline + 1)
    }
  })
  return { socket, messages, send: (text) => void socket.write(text) }
}
