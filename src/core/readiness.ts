/**
 * When a new child counts as ready, that is online: the one rule for a
 * first start, a restart and a reload's replacement alike. Today: the
 * runner's own notion (fork: spawned; cluster: listening) or, with
 * `waitReady`, the `'ready'` IPC message, within `listenTimeout`. With a
 * startup or readiness probe, the probes decide instead, within the longer
 * of `listenTimeout` and the time the probes need to decide (src/health/).
 */
import type { NormalizedSpec } from '../types.js'
import type { Run } from './run.js'

/** How the wait for readiness ended: ready, `listenTimeout` passed, or the child exited first. */
export type Readiness = 'ready' | 'timeout' | 'exited'

export function waitReady(run: Run, spec: Pick<NormalizedSpec, 'waitReady' | 'listenTimeout'>): Promise<Readiness> {
  const probes = run.probes?.gates ? run.probes : null
  const ready = probes ? probes.ready : spec.waitReady ? run.readyMessage : run.child.online
  const bound = probes ? Math.max(spec.listenTimeout, probes.bound) : spec.listenTimeout
  return new Promise<Readiness>((resolve) => {
    const cancel = run.after(bound, () => resolve('timeout'))
    const settle = (readiness: Readiness): void => {
      cancel()
      resolve(readiness)
    }
    void ready.then(() => settle('ready'))
    void run.child.exited.then(() => settle('exited'))
  })
}
