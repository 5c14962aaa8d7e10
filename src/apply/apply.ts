/**
 * `apply`: a set of app specs as the desired state. Per app, a diff against
 * what runs, then the least change that gets there: start what is new,
 * reload (cluster) or restart (fork) what changed, scale a changed number of
 * instances, leave the unchanged alone, and with `prune` delete what the
 * desired state no longer has. Each app's step runs under its lock; apps
 * proceed in parallel.
 */
import type { AppSpec, NormalizedSpec, OperationOptions, ProcessInfo } from '../types.js'
import { diffSpecs, needsNewProcesses, type AppDiff } from './diff.js'

export type { AppDiff, KeyChange } from './diff.js'

export interface ApplyOptions extends OperationOptions {
  /** Delete running apps the specs do not name. @default false */
  readonly prune?: boolean
  /** Work out and return the diff and the plan; change nothing. @default false */
  readonly dryRun?: boolean
}

/** What apply does (or, with `dryRun`, would do) to an app. */
export type ApplyAction = 'start' | 'reload' | 'restart' | 'scale' | 'delete'

/** One app's outcome (`P`: how its processes are given; ProcessInfo snapshots to users). */
export interface AppliedApp<P = ProcessInfo> {
  readonly name: string
  readonly diff: AppDiff
  /** In the order carried out; empty when the app was left untouched. */
  readonly actions: readonly ApplyAction[]
  /** The app's processes afterwards (with `dryRun`: as they are). Empty once deleted. */
  readonly processes: readonly P[]
  /** Set when this app's step failed (the others still went ahead); the app is left as the failure left it. */
  readonly error?: { readonly code: string; readonly message: string }
}

/** The least change from a diff: reload a cluster that stays a cluster, restart otherwise; scale on another count. */
export function planActions(
  diff: AppDiff,
  running: NormalizedSpec | undefined,
  desired: NormalizedSpec | undefined,
  prune: boolean,
): ApplyAction[] {
  if (diff.change === 'added') return ['start']
  if (diff.change === 'removed') return prune ? ['delete'] : []
  const actions: ApplyAction[] = []
  const scaleDown = diff.instances !== null && diff.instances.to < diff.instances.from
  // Fewer processes first when scaling down (fewer to replace); new ones last when scaling up (they start with the new spec).
  if (scaleDown) actions.push('scale')
  if (needsNewProcesses(diff)) actions.push(running?.mode === 'cluster' && desired?.mode === 'cluster' ? 'reload' : 'restart')
  if (diff.instances !== null && !scaleDown) actions.push('scale')
  return actions
}

/** What the executor needs from the Supervisor, for one app, under its lock. */
export interface ApplyPort<P> {
  running(name: string): NormalizedSpec | undefined
  start(spec: NormalizedSpec, source: AppSpec): Promise<void>
  /**
   * Replaces the app's processes with ones running `spec` (keeping the
   * current number of instances), by a rolling reload or restart. On a
   * failure the app keeps its old spec, so applying again tries again.
   */
  replace(name: string, spec: NormalizedSpec, source: AppSpec, how: 'reload' | 'restart'): Promise<void>
  scale(name: string, instances: number): Promise<void>
  delete(name: string): Promise<void>
  processes(name: string): P[]
}

export interface Desired {
  readonly spec: NormalizedSpec
  readonly source: AppSpec
}

/** Works out and (unless dry) carries out one app's step. Never rejects: a failure is the result's `error`. */
export async function applyApp<P>(
  name: string,
  desired: Desired | undefined,
  port: ApplyPort<P>,
  options: { prune: boolean; dryRun: boolean },
): Promise<AppliedApp<P>> {
  const running = port.running(name)
  const diff = diffSpecs(running, desired?.spec)
  const actions = planActions(diff, running, desired?.spec, options.prune)
  if (options.dryRun || actions.length === 0) return { name, diff, actions, processes: running ? port.processes(name) : [] }
  const done: ApplyAction[] = []
  const processes = (): P[] => (port.running(name) ? port.processes(name) : [])
  try {
    for (const action of actions) {
      if (action === 'start') await port.start(desired!.spec, desired!.source)
      else if (action === 'delete') await port.delete(name)
      else if (action === 'scale') await port.scale(name, desired!.spec.instances)
      else await port.replace(name, desired!.spec, desired!.source, action)
      done.push(action)
    }
    return { name, diff, actions: done, processes: processes() }
  } catch (error) {
    const { code = 'TEND_ERR_UNKNOWN', message = String(error) } = error as { code?: string; message?: string }
    return { name, diff, actions: done, processes: processes(), error: { code, message } }
  }
}
