/**
 * CPU and memory of many processes from Linux's /proc in one pass: one
 * open-read-close of `/proc/<pid>/stat` per pid, synchronously (a few
 * microseconds each, far less than a threadpool round trip per pid), in
 * slices between which the event loop runs, and no descriptor kept open
 * between passes. Other platforms use pidusage (see sampler.ts).
 */
import { execFile } from 'node:child_process'
import { closeSync, openSync, readSync } from 'node:fs'

/** One pid's reading: CPU in percent of one core since the previous pass (or since it started), RSS in bytes. */
export interface ProcUsage {
  readonly cpu: number
  readonly memory: number
}

interface Previous {
  readonly ticks: number
  /** When it was read, in clock ticks of system uptime. */
  readonly at: number
  /** The process's start time in clock ticks after boot: tells a reused pid from the same process. */
  readonly start: number
}

/** Pids read before the event loop gets a turn. */
const SLICE = 256

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** `getconf NAME`, or `fallback` when it cannot tell. */
function getconf(name: string, fallback: number): Promise<number> {
  return new Promise((resolve) => {
    execFile('getconf', [name], { encoding: 'utf8', timeout: 5000 }, (error, stdout) => {
      const value = Number(stdout.trim())
      resolve(error || !Number.isFinite(value) || value <= 0 ? fallback : value)
    })
  })
}

export class ProcStatReader {
  readonly #previous = new Map<number, Previous>()
  readonly #buffer = Buffer.alloc(1024)
  #units: Promise<{ clockTicks: number; pageSize: number }> | null = null
  /** CPU milliseconds the last pass spent reading, its event-loop turns left out. */
  lastPassMs = 0

  /** Reads every pid; a pid that is gone is left out of the result. */
  async read(pids: readonly number[]): Promise<Map<number, ProcUsage>> {
    this.#units ??= Promise.all([getconf('CLK_TCK', 100), getconf('PAGESIZE', 4096)]).then(([clockTicks, pageSize]) => ({
      clockTicks,
      pageSize,
    }))
    const { clockTicks, pageSize } = await this.#units
    const result = new Map<number, ProcUsage>()
    let spent = 0
    for (let from = 0; from < pids.length; from += SLICE) {
      if (from > 0) await yieldToLoop()
      const began = process.cpuUsage()
      const now = this.#uptimeTicks(clockTicks)
      for (let i = from; i < Math.min(from + SLICE, pids.length); i++) {
        const pid = pids[i]!
        const stat = this.#readStat(pid)
        if (!stat) continue
        const last = this.#previous.get(pid)
        const same = last !== undefined && last.start === stat.start && now > last.at
        const elapsed = same ? now - last.at : now - stat.start
        const used = same ? stat.ticks - last.ticks : stat.ticks
        this.#previous.set(pid, { ticks: stat.ticks, at: now, start: stat.start })
        result.set(pid, { cpu: elapsed > 0 ? Math.max(0, (used / elapsed) * 100) : 0, memory: stat.rssPages * pageSize })
      }
      const used = process.cpuUsage(began)
      spent += (used.user + used.system) / 1000
    }
    for (const pid of this.#previous.keys()) if (!result.has(pid)) this.#previous.delete(pid)
    this.lastPassMs = spent
    return result
  }

  /** System uptime in clock ticks, from /proc/uptime. */
  #uptimeTicks(clockTicks: number): number {
    const text = this.#readFile('/proc/uptime')
    return text === null ? 0 : Number.parseFloat(text) * clockTicks
  }

  /** utime + stime, start time and RSS pages of one pid, or null when it is gone. */
  #readStat(pid: number): { ticks: number; start: number; rssPages: number } | null {
    const text = this.#readFile(`/proc/${pid}/stat`)
    if (text === null) return null
    // The command name (field 2) is in parentheses and may hold spaces or parentheses: fields count from the last ')'.
    // Field 3 (state) follows it; utime is field 14, stime 15, starttime 22, rss 24.
    let at = text.lastIndexOf(')') + 2
    const wanted = [14, 15, 22, 24]
    const values: number[] = []
    for (let field = 3; values.length < wanted.length; field++) {
      const end = text.indexOf(' ', at)
      if (end === -1 && field < 24) return null
      if (field === wanted[values.length]) values.push(Number(text.slice(at, end === -1 ? undefined : end)))
      at = end + 1
    }
    const [utime, stime, start, rssPages] = values as [number, number, number, number]
    const ticks = utime + stime
    if (!Number.isFinite(ticks) || !Number.isFinite(rssPages)) return null
    return { ticks, start, rssPages }
  }

  #readFile(path: string): string | null {
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch {
      return null // gone (ENOENT, ESRCH), or out of descriptors: left out of this pass
    }
    try {
      const length = readSync(fd, this.#buffer, 0, this.#buffer.length, 0)
      return this.#buffer.toString('latin1', 0, length)
    } catch {
      return null
    } finally {
      closeSync(fd)
    }
  }
}
