/**
 * When an instance that gets held sockets counts as online. A node child
 * (the fork preload) reports `tend:listening` once it listens on a held
 * socket. Other programs cannot say so: they count as online once they have
 * stayed up for `minUptime` (at most half of `listenTimeout`), so a
 * replacement that dies at start fails the reload and the old instance keeps
 * serving. Connections that arrive meanwhile wait in the socket's backlog.
 */
import type { NormalizedSpec } from '../types.js'

export function isListeningReport(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'tend:listening'
}

export function heldSocketsOnline(spec: NormalizedSpec, listening: Promise<void>, exited: Promise<unknown>): Promise<void> {
  if (spec.isNode) return listening
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.min(spec.minUptime, spec.listenTimeout / 2))
    void exited.then(() => clearTimeout(timer))
  })
}
