/**
 * A contender whose supervisor lives in a driver process of its own, driven
 * over IPC: the tend host (bench/fixtures/tend-host.mjs, for the overhead
 * scenario) and PM2 (bench/pm2/pm2-driver.cjs). A driver answers
 * `{ id, method, args }` with `{ id, ok, result | error }`, announces itself
 * with `{ ready: true, hostPid }`, and on `close` stops everything it
 * started and exits. `close()` then proves that the supervising process and
 * every app it listed are gone.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import type { BenchApp, Contender, ContenderProcess } from './contender.js'
import { isAlive, sleep } from './lib.js'

interface Reply {
  readonly id?: number
  readonly ok?: boolean
  readonly ready?: boolean
  readonly hostPid?: number
  readonly result?: unknown
  readonly error?: string
}

export class IpcContender implements Contender {
  readonly label: string
  readonly #child: ChildProcess
  readonly #hostPid: number
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  readonly #exited: Promise<void>
  #nextId = 1
  #closed = false

  private constructor(label: string, child: ChildProcess, hostPid: number) {
    this.label = label
    this.#child = child
    this.#hostPid = hostPid
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()))
    child.on('message', (reply: Reply) => {
      const waiter = reply.id === undefined ? undefined : this.#pending.get(reply.id)
      if (!waiter || reply.id === undefined) return
      this.#pending.delete(reply.id)
      if (reply.ok) waiter.resolve(reply.result)
      else waiter.reject(new Error(`${label}: ${reply.error ?? 'failed'}`))
    })
    child.once('exit', (code) => {
      for (const waiter of this.#pending.values()) waiter.reject(new Error(`${label} driver exited with ${code}`))
      this.#pending.clear()
    })
  }

  /** Spawns `node script ...args` and waits for its `ready` message. */
  static async spawn(label: string, script: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<IpcContender> {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env })
    const hostPid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (code) => reject(new Error(`${label} driver exited with ${code} before it was ready`)))
      child.once('message', (reply: Reply) =>
        reply.ready ? resolve(reply.hostPid ?? child.pid!) : reject(new Error(`${label}: ${reply.error}`)),
      )
    })
    child.removeAllListeners('exit')
    child.removeAllListeners('error')
    return new IpcContender(label, child, hostPid)
  }

  #call(method: string, ...args: unknown[]): Promise<unknown> {
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      this.#child.send({ id, method, args })
    })
  }

  async start(app: BenchApp): Promise<void> {
    await this.#call('start', app)
  }

  async restart(name: string): Promise<void> {
    await this.#call('restart', name)
  }

  async reload(name: string): Promise<void> {
    await this.#call('reload', name)
  }

  async scale(name: string, instances: number): Promise<void> {
    await this.#call('scale', name, instances)
  }

  async delete(name: string): Promise<void> {
    await this.#call('delete', name)
  }

  async list(): Promise<ContenderProcess[]> {
    return (await this.#call('list')) as ContenderProcess[]
  }

  hostPid(): number {
    return this.#hostPid
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const pids = await this.list().then(
      (listed) => listed.flatMap((p) => (p.pid ? [p.pid] : [])),
      () => [],
    )
    await Promise.race([this.#call('close').catch(() => undefined), this.#exited])
    await Promise.race([this.#exited, sleep(15_000)])
    const left = [this.#child.pid!, this.#hostPid, ...pids]
    const deadline = Date.now() + 10_000
    while (left.some(isAlive) && Date.now() < deadline) await sleep(50)
    const survivors = left.filter(isAlive)
    for (const pid of survivors) process.kill(pid, 'SIGKILL')
    if (survivors.length > 0) throw new Error(`${this.label}: processes left after close, killed: ${survivors.join(', ')}`)
  }
}
