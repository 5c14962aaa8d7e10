/**
 * The sockets a Supervisor holds, per app: bound once when the app is
 * registered, kept across restarts, reloads, scaling and crashes, closed when
 * the app is deleted or the Supervisor closes.
 */
import { debuglog } from 'node:util'
import type { NormalizedListen, SocketInfo } from '../types.js'
import { bindSockets, type BoundSocket } from './bind.js'

const debug = debuglog('tend')
const NONE: readonly SocketInfo[] = Object.freeze([])

export class HeldSockets {
  readonly #apps = new Map<string, { readonly sockets: readonly BoundSocket[]; readonly infos: readonly SocketInfo[] }>()

  /** Binds the app's sockets (all or none; throws ListenError). Nothing happens for an app without `listen`. */
  async hold(app: string, specs: readonly NormalizedListen[]): Promise<void> {
    if (specs.length === 0) return
    this.release(app)
    const sockets = await bindSockets(app, specs)
    this.#apps.set(app, { sockets, infos: Object.freeze(sockets.map((socket) => socket.info)) })
    debug('holding %s for %s', sockets.map((s) => `${s.info.host}:${s.info.port}`).join(', '), app)
  }

  /** The app's sockets in fd order ([] for none). */
  of(app: string): readonly BoundSocket[] {
    return this.#apps.get(app)?.sockets ?? []
  }

  /** What ProcessInfo shows of them. */
  infoOf(app: string): readonly SocketInfo[] {
    return this.#apps.get(app)?.infos ?? NONE
  }

  /** Closes the app's sockets: the port is free again (and refuses) once its last instance has exited. */
  release(app: string): void {
    const held = this.#apps.get(app)
    if (!held) return
    for (const socket of held.sockets) socket.close()
    this.#apps.delete(app)
    debug('released the sockets of %s', app)
  }

  close(): void {
    for (const app of [...this.#apps.keys()]) this.release(app)
  }
}
