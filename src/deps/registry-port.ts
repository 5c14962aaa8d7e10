/**
 * The DependencyPort (ordered-start.ts) over a Supervisor's registry and
 * events: when an app has spawned (its first `process:spawn`), when it has
 * ended (every process stopped or errored), and whether it is registered.
 */
import type { ManagedProcess } from '../core/managed-process.js'
import type { Registry } from '../core/registry.js'
import type { ProcessEvent, ProcessInfo } from '../types.js'
import { settleAll } from '../util/settle.js'
import type { DependencyPort } from './ordered-start.js'

/** Where `process:spawn` is heard (the Supervisor itself). */
export interface SpawnEvents {
  on(event: 'process:spawn', listener: (event: ProcessEvent) => void): unknown
  off(event: 'process:spawn', listener: (event: ProcessEvent) => void): unknown
}

export function registryDependencyPort(
  registry: Registry,
  events: SpawnEvents,
  infos: (processes: readonly ManagedProcess[]) => ProcessInfo[],
  signal: AbortSignal | undefined,
): DependencyPort {
  return {
    spawned: (name, done) =>
      new Promise((resolve) => {
        const listener = (event: ProcessEvent): void => {
          if (event.process.name !== name) return
          events.off('process:spawn', listener)
          resolve()
        }
        events.on('process:spawn', listener)
        done.addEventListener('abort', () => events.off('process:spawn', listener), { once: true })
      }),
    ended: async (name) => {
      const processes = registry.apps.get(name)?.processes ?? []
      await settleAll(processes.map((p) => p.waitUntil(() => p.status === 'stopped' || p.status === 'errored', signal)))
      return infos(processes)
    },
    isRunning: (name) => registry.apps.has(name),
  }
}
