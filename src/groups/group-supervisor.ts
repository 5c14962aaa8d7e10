/**
 * Supervision strategies over groups of apps (Erlang/OTP's supervisor, over
 * apps). A member's exit nobody asked for (`crash`, `unhealthy`) that its
 * restart policy would restart comes here first (ProcessHost's
 * `onUnexpectedExit`): it counts towards the group's intensity, and
 * `one_for_all` / `rest_for_one` restart their set instead of the process
 * restarting alone. One worker per group carries out one thing at a time (a
 * restart round, or giving up); crashes meanwhile are counted and coalesced
 * into one more round. Every step on an app runs under that app's lock.
 */
import { debuglog } from 'node:util'
import type { KeyedQueue } from '../core/keyed-queue.js'
import type { ManagedProcess } from '../core/managed-process.js'
import type { Registry } from '../core/registry.js'
import { CrashLoopError, InvalidSpecError } from '../errors.js'
import type { ExitReason, GroupInfo, NormalizedGroup, NormalizedSpec, ProcessInfo, SupervisorEvents } from '../types.js'
import { settleAll } from '../util/settle.js'
import { countRestart, recentRestarts } from './intensity.js'
import { memberOrder, restartSet, restartWaves, type Member } from './plan.js'

const debug = debuglog('tend')

type GroupEvent = 'group:restart' | 'group:errored'

/** What the groups need of the supervisor. */
export interface GroupPort {
  readonly registry: Registry
  readonly queue: KeyedQueue
  emit<E extends GroupEvent>(event: E, payload: Parameters<SupervisorEvents[E]>[0]): void
  hasListeners(event: GroupEvent): boolean
  info(process: ManagedProcess): ProcessInfo
}

/** The exit that set something off, as it was then. */
interface Trigger {
  readonly process: ManagedProcess
  readonly app: string
  readonly info: ProcessInfo
  readonly reason: ExitReason
}

type Intent =
  | { readonly kind: 'restart'; readonly trigger: Trigger }
  | { readonly kind: 'give-up'; readonly trigger: Trigger; readonly restarts: number; readonly cause?: unknown }

interface GroupState {
  spec: NormalizedGroup
  /** Times of the restarts counted, oldest first (intensity.ts). */
  window: readonly number[]
  /** What the worker does next; a restart asked for while one is pending is the same restart. */
  pending: Intent | null
  /** What the worker is carrying out now. */
  current: Intent | null
  /** The worker carrying out `pending`, one intent at a time. */
  worker: Promise<void> | null
  /** Aborts the waits of the intent in flight (giving up or closing cuts a restart round short). */
  abort: AbortController | null
  /** Set once it gave up; cleared when its strategy acts again. */
  errored: boolean
}

export class GroupSupervisor {
  readonly #port: GroupPort
  readonly #groups = new Map<string, GroupState>()
  #closing = false

  constructor(port: GroupPort) {
    this.#port = port
  }

  /** Declares groups, or changes the declaration of ones already declared (their count within `period` stays). */
  define(groups: readonly NormalizedGroup[]): void {
    for (const spec of groups) {
      const state = this.#groups.get(spec.name)
      if (state) state.spec = spec
      else this.#groups.set(spec.name, { spec, window: [], pending: null, current: null, worker: null, abort: null, errored: false })
    }
  }

  /** Throws InvalidSpecError for the first spec naming a group no one declared. */
  check(specs: readonly NormalizedSpec[]): void {
    for (const spec of specs) {
      if (spec.group === null || this.#groups.has(spec.group)) continue
      const declared = [...this.#groups.keys()]
      throw new InvalidSpecError(
        `Invalid option "group" of app "${spec.name}": group "${spec.group}" is not declared ` +
          `(${declared.length > 0 ? `declared: ${declared.join(', ')}; ` : ''}declare it under the ecosystem file's top-level groups, or in SupervisorOptions.groups or defineGroups())`,
        { option: 'group', app: spec.name },
      )
    }
  }

  /** Every group with its members and state. */
  infos(): GroupInfo[] {
    const now = Date.now()
    return [...this.#groups.values()].map((state) => ({
      ...state.spec,
      apps: memberOrder(this.#members(state.spec.name)),
      recentRestarts: recentRestarts(state.window, now, state.spec.period).length,
      status: this.#givenUp(state) ? 'errored' : state.worker ? 'restarting' : 'running',
    }))
  }

  /**
   * Gave up, and its members are still down. A member started again since
   * (by a user, `apply`, `resurrect`) makes the group run again: its strategy
   * and intensity act on the next crash as before.
   */
  #givenUp(state: GroupState): boolean {
    if (!state.errored || state.worker) return state.errored
    for (const app of this.#port.registry.apps.values()) {
      if (app.spec.group !== state.spec.name) continue
      if (app.processes.some((process) => process.status !== 'stopped' && process.status !== 'errored')) state.errored = false
    }
    return state.errored
  }

  /**
   * A member exited without being asked to and its policy would restart it
   * (`gaveUp`: its own crash-loop rule gave it up instead). Returns true when
   * the group takes the restart over: the process then waits, with no timer
   * of its own, for the group's restart. Taken over only when no restart of
   * the group is in flight and nothing holds the app's lock (an operation
   * waiting for the process to come online would wait for ever).
   */
  onUnexpectedExit(
    process: ManagedProcess,
    exit: { readonly reason: ExitReason; readonly pid: number; readonly gaveUp: boolean },
  ): boolean {
    const { reason, gaveUp } = exit
    const name = process.spec.group
    const state = name === null ? undefined : this.#groups.get(name)
    if (!state || this.#closing || state.pending?.kind === 'give-up' || state.current?.kind === 'give-up') return false
    const trigger: Trigger = { process, app: process.spec.name, info: { ...this.#port.info(process), pid: exit.pid }, reason }
    const { window, exceeded } = countRestart(state.window, Date.now(), state.spec)
    state.window = window
    state.errored = false
    const { strategy } = state.spec
    debug(
      'group %s: %s of process %d (%s), %d restart(s) within %d ms',
      state.spec.name,
      reason,
      process.id,
      trigger.app,
      window.length,
      state.spec.period,
    )
    const mayHold = !gaveUp && state.worker === null && !this.#port.queue.busy(trigger.app)
    if (exceeded || (gaveUp && strategy !== 'one_for_one')) {
      const cause = gaveUp ? process.lastError : undefined
      this.#request(state, { kind: 'give-up', trigger, restarts: window.length, ...(cause ? { cause } : {}) })
      return mayHold
    }
    if (gaveUp || strategy === 'one_for_one') return false
    this.#request(state, { kind: 'restart', trigger })
    return mayHold
  }

  /** Stops acting: cuts short what is in flight and waits for it. */
  async close(): Promise<void> {
    this.#closing = true
    const workers: Promise<void>[] = []
    for (const state of this.#groups.values()) {
      state.pending = null
      state.abort?.abort()
      if (state.worker) workers.push(state.worker)
    }
    await Promise.all(workers)
  }

  // ------------------------------------------------------------ the worker

  #request(state: GroupState, intent: Intent): void {
    if (intent.kind === 'give-up') {
      state.pending = intent
      state.abort?.abort() // a round in flight stops where it is: everything is stopped next
    } else state.pending ??= intent // a crash during a restart: one more round after it, not one each
    state.worker ??= this.#work(state).finally(() => (state.worker = null))
  }

  async #work(state: GroupState): Promise<void> {
    while (state.pending && !this.#closing) {
      const intent = state.pending
      state.pending = null
      state.current = intent
      const abort = new AbortController()
      state.abort = abort
      try {
        if (intent.kind === 'restart') {
          await this.#restart(state.spec, intent.trigger, abort.signal)
          await this.#releaseHeld(intent.trigger.process)
        } else await this.#giveUp(state, intent)
      } catch (error) {
        if (abort.signal.aborted || this.#closing) continue
        debug('group %s: %s failed: %s', state.spec.name, intent.kind, (error as Error).message)
        if (intent.kind === 'give-up') continue // a stop that threw: not tried again and again
        // a member that could not be brought back: the group cannot be whole again
        state.pending = { kind: 'give-up', trigger: intent.trigger, restarts: state.window.length, cause: error }
      } finally {
        state.abort = null
        state.current = null
      }
    }
  }

  /** The member apps of a group, in the order they were started (the registry's order). */
  #members(group: string): Member[] {
    const members: Member[] = []
    for (const app of this.#port.registry.apps.values()) {
      if (app.spec.group === group) members.push({ name: app.spec.name, dependsOn: app.spec.dependsOn })
    }
    return members
  }

  /**
   * One restart round: the strategy's set stopped in reverse dependency
   * order (exit reason `group`), then started in dependency order, wave by
   * wave, each wave online before the next. Only processes that were running
   * (or waiting for a restart) come back: one a user stopped stays stopped.
   */
  async #restart(group: NormalizedGroup, trigger: Trigger, signal: AbortSignal): Promise<void> {
    const members = this.#members(group.name)
    const set = restartSet(group.strategy, memberOrder(members), trigger.app)
    if (set.length === 0) return
    const waves = restartWaves(set, members)
    const apps = waves.flat()
    debug('group %s: %s restarts %s', group.name, group.strategy, apps.join(', '))
    if (this.#port.hasListeners('group:restart')) {
      this.#port.emit('group:restart', {
        group: group.name,
        strategy: group.strategy,
        trigger: trigger.info,
        reason: trigger.reason,
        apps,
        at: Date.now(),
      })
    }
    const { registry, queue } = this.#port
    const relaunch = new Map<string, ManagedProcess[]>()
    for (const name of [...apps].reverse()) {
      await queue.run(
        name,
        async () => {
          const processes = registry.apps
            .get(name)
            ?.processes.filter((process) => process.status !== 'stopped' && process.status !== 'errored')
          if (!processes) return
          relaunch.set(name, processes)
          // a process waiting for its restart has counted it already
          for (const process of processes) if (process.status !== 'waiting-restart') process.restarts++
          await settleAll(processes.map((process) => process.stop('group')))
        },
        signal,
      )
    }
    for (const wave of waves) {
      await settleAll(
        wave.map((name) =>
          queue.run(
            name,
            async () => {
              const app = registry.apps.get(name)
              if (!app) return
              // deleted meanwhile, started again by someone else, or stopped by a user since (a `stop all`
              // while an earlier wave came up): not the group's to launch
              const processes = (relaunch.get(name) ?? []).filter(
                (process) => app.processes.includes(process) && process.status === 'stopped' && process.lastStopReason === 'group',
              )
              for (const process of processes) process.launch()
              await settleAll(processes.map((process) => process.untilOnline(signal)))
            },
            signal,
          ),
        ),
      )
    }
  }

  /**
   * A process the group took the restart of, still waiting after the round
   * (it left the group, or the strategy changed to one that does not restart
   * it): it starts now, as it would have on its own.
   */
  async #releaseHeld(process: ManagedProcess): Promise<void> {
    const held = (): boolean => process.status === 'waiting-restart' && process.nextRestartAt === null
    if (!held()) return
    await this.#port.queue.run(process.spec.name, () => {
      if (held() && this.#port.registry.apps.get(process.spec.name)?.processes.includes(process)) process.launch()
      return Promise.resolve()
    })
  }

  /** Gives up: every member stopped, in reverse dependency order (exit reason `group`), then `group:errored`. */
  async #giveUp(state: GroupState, intent: Extract<Intent, { kind: 'give-up' }>): Promise<void> {
    const group = state.spec
    const { registry, queue } = this.#port
    for (const name of memberOrder(this.#members(group.name)).reverse()) {
      await queue.run(name, async () => {
        const app = registry.apps.get(name)
        if (app) await settleAll(app.processes.map((process) => process.stop('group')))
      })
    }
    state.window = []
    state.errored = true
    const { info, app } = intent.trigger
    const error = new CrashLoopError(
      app,
      info.id,
      { restarts: intent.restarts, exitCode: info.exitCode, signal: info.signal, group: group.name, period: group.period },
      intent.cause === undefined ? undefined : { cause: intent.cause },
    )
    debug('group %s: gave up: %s', group.name, error.message)
    if (this.#port.hasListeners('group:errored')) this.#port.emit('group:errored', { group: group.name, error, at: Date.now() })
  }
}
