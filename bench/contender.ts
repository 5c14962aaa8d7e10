/**
 * One interface for the supervisors a scenario measures, so tend and PM2 run
 * the very same scenario code: `TendContender` (an in-process Supervisor, the
 * way tend is meant to be used) and `Pm2Contender` (bench/pm2/, PM2's
 * programmatic API talking to its own daemon in a temporary PM2_HOME).
 */
import { Supervisor } from '../src/index.js'

/** An app as the benchmarks start it; each contender maps it to its own spec. */
export interface BenchApp {
  readonly name: string
  readonly script: string
  readonly mode?: 'fork' | 'cluster'
  readonly instances?: number
  readonly env?: Readonly<Record<string, string | number>>
  /** Adds the instance index to this env variable (PM2's `increment_var`). */
  readonly incrementVar?: string
  /** Run `script` as a binary (no node), e.g. `/bin/sleep`. */
  readonly binary?: boolean
  readonly args?: readonly string[]
  /** The interpreter, when not node (`'python3'`). */
  readonly interpreter?: string
  /** A socket the supervisor holds for the app (tend's `listen`); a supervisor without them leaves the app to bind `PORT`. */
  readonly listen?: string
  /** ms between the stop signal and SIGKILL. */
  readonly killTimeout?: number
}

export interface ContenderProcess {
  readonly name: string
  readonly pid: number | null
  readonly online: boolean
}

export interface Contender {
  /** 'tend' or 'PM2': the label of its column in the results. */
  readonly label: string
  /** Resolves when the supervisor reports the app's processes online. */
  start(app: BenchApp): Promise<void>
  restart(name: string): Promise<void>
  reload(name: string): Promise<void>
  scale(name: string, instances: number): Promise<void>
  delete(name: string): Promise<void>
  list(): Promise<ContenderProcess[]>
  /** The process that does the supervising (tend: the host process; PM2: its daemon). */
  hostPid(): number
  /** Stops everything it started, the supervisor included. */
  close(): Promise<void>
}

export class TendContender implements Contender {
  readonly label = 'tend'
  readonly #sup: Supervisor

  constructor(options: { metricsInterval?: number } = {}) {
    this.#sup = new Supervisor({ metricsInterval: options.metricsInterval ?? 0 })
  }

  async start(app: BenchApp): Promise<void> {
    await this.#sup.start({
      name: app.name,
      script: app.script,
      mode: app.mode ?? 'fork',
      instances: app.instances ?? 1,
      ...(app.env ? { env: { ...app.env } } : {}),
      ...(app.incrementVar ? { incrementVar: app.incrementVar } : {}),
      ...(app.binary ? { interpreter: 'none' } : {}),
      ...(app.args ? { args: [...app.args] } : {}),
      ...(app.interpreter ? { interpreter: app.interpreter } : {}),
      ...(app.listen ? { listen: app.listen } : {}),
      ...(app.killTimeout ? { killTimeout: app.killTimeout } : {}),
    })
  }

  async restart(name: string): Promise<void> {
    await this.#sup.restart(name)
  }

  async reload(name: string): Promise<void> {
    await this.#sup.reload(name)
  }

  async scale(name: string, instances: number): Promise<void> {
    await this.#sup.scale(name, instances)
  }

  async delete(name: string): Promise<void> {
    await this.#sup.delete(name)
  }

  list(): Promise<ContenderProcess[]> {
    return Promise.resolve(this.#sup.list().map((info) => ({ name: info.name, pid: info.pid, online: info.status === 'online' })))
  }

  /** The synchronous in-process list(), for the control-plane scenario. */
  listNow(): number {
    return this.#sup.list().length
  }

  hostPid(): number {
    return process.pid
  }

  close(): Promise<void> {
    return this.#sup.close()
  }
}

/** The contenders of one run: tend always, PM2 with `--compare pm2`. */
export type ContenderFactory = () => Promise<Contender>

export interface ScenarioOptions {
  readonly quick: boolean
  /** Factories for the contenders: [tend] or [tend, PM2]. A scenario creates and closes its own. */
  readonly contenders: readonly ContenderFactory[]
}

/** Creates every contender, runs `fn` with them and closes them all, whatever happens. */
export async function withContenders<T>(factories: readonly ContenderFactory[], fn: (contenders: Contender[]) => Promise<T>): Promise<T> {
  const contenders: Contender[] = []
  try {
    for (const create of factories) contenders.push(await create())
    return await fn(contenders)
  } finally {
    for (const contender of contenders.reverse()) await contender.close()
  }
}
