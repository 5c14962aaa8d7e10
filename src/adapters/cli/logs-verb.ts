/**
 * `tend logs [target]`: the last N lines of each process, from the daemon's
 * memory when it holds them, else from the tails of the process's log files
 * (after a daemon restart, or for lines older than the buffer keeps); then,
 * with --follow, new lines as the daemon sees them (by event, so a rotation
 * or a restarted process changes nothing).
 */
import type { LogEvent, LogLine, ProcessInfo } from '../../types.js'
import { timestamper } from '../../logs/date-format.js'
import { tailLines } from '../../logs/tail.js'
import { out, parseTarget, usageError, withDaemon } from './context.js'

export interface LogsOptions {
  readonly lines?: string
  readonly follow?: boolean
  readonly nostream?: boolean
  readonly err?: boolean
  readonly out?: boolean
  readonly json?: boolean
  readonly raw?: boolean
  readonly timestamp?: boolean | string
}

type Stream = 'out' | 'err'

/** A line to print: from memory (with its time) or from a file (time unknown, null). */
interface Shown {
  readonly id: number
  readonly name: string
  readonly stream: Stream
  readonly line: string
  readonly at: number | null
  readonly source: 'memory' | 'file'
}

/** The last lines of one process: memory if it has `count` of the wanted ones, else the files' tails. */
async function recentOf(
  info: ProcessInfo,
  memory: readonly LogLine[],
  count: number,
  wanted: (stream: Stream) => boolean,
): Promise<Shown[]> {
  const kept = memory.filter((line) => wanted(line.stream)).map((line): Shown => ({ ...line, source: 'memory' }))
  const files = info.logFiles
  const sources: [Stream, string][] = []
  if (files.out && wanted('out')) sources.push(['out', files.out])
  if (files.err && wanted('err')) sources.push(['err', files.err])
  // Only a combined file (logFile without out/err files): its lines are both streams, shown as out.
  if (sources.length === 0 && files.combined && !files.out && !files.err) sources.push(['out', files.combined])
  if (kept.length >= count || sources.length === 0) return kept.slice(-count)
  const shown: Shown[] = []
  for (const [stream, path] of sources) {
    const tail = (await tailLines(path, count)).map((line): Shown => ({
      id: info.id,
      name: info.name,
      stream,
      line,
      at: null,
      source: 'file',
    }))
    shown.push(...withTimesFrom(tail, kept))
  }
  // every line of the files is still in memory (a young process): memory has them in the order they came, with their times
  if (shown.length === kept.length && shown.every((line) => line.at !== null)) return kept
  return shown
}

/**
 * The lines of a file's tail that are also the newest lines in memory (of
 * the same stream, the same text, in the same order) get the times memory
 * has for them, so --timestamp shows what is known.
 */
function withTimesFrom(tail: readonly Shown[], memory: readonly Shown[]): Shown[] {
  const same = memory.filter((line) => line.stream === tail[0]?.stream)
  const timed = [...tail]
  for (let t = timed.length - 1, m = same.length - 1; t >= 0 && m >= 0 && timed[t]!.line === same[m]!.line; t--, m--) {
    timed[t] = { ...timed[t]!, at: same[m]!.at }
  }
  return timed
}

export async function logs(target: string | undefined, options: LogsOptions): Promise<void> {
  const count = options.lines === undefined ? 20 : Number(options.lines)
  if (!Number.isInteger(count) || count < 0) throw usageError(`--lines takes an integer ≥ 0, got "${options.lines}"`)
  const wanted = (stream: Stream): boolean =>
    options.err && !options.out ? stream === 'err' : options.out && !options.err ? stream === 'out' : true
  const stamp = options.timestamp ? timestamper(options.timestamp === true ? null : options.timestamp) : null
  const print = (line: Shown): void => {
    if (options.json) return out(JSON.stringify(line))
    const time = stamp && line.at !== null ? `${stamp(line.at)} ` : ''
    if (options.raw) return out(`${time}${line.line}`)
    out(`${time}${line.id}|${line.name}${line.stream === 'err' ? ' (err)' : ''} | ${line.line}`)
  }

  await withDaemon(async (client) => {
    const parsed = target === undefined ? 'all' : parseTarget(target)
    const processes = await client.describe(parsed)
    for (const info of processes) {
      // With --out or --err the newest lines may be of the other stream: ask memory for more, then keep `count` wanted ones.
      const asked = options.out === options.err ? count : count + 200
      const memory = count === 0 ? [] : await client.logs(info.id, { lines: asked })
      for (const line of await recentOf(info, memory, count, wanted)) print(line)
    }
    if (!options.follow || options.nostream) return
    // Follow by app name (a restarted process gets a new pid, a scaled app new ids).
    const names = new Set(processes.map((info) => info.name))
    const onLine = (payload: LogEvent, event: string): void => {
      const stream = event === 'log:err' ? 'err' : 'out'
      if (!wanted(stream) || !(target === undefined || names.has(payload.process.name))) return
      print({ id: payload.process.id, name: payload.process.name, stream, line: payload.line, at: payload.at, source: 'memory' })
    }
    await client.on('log:*', onLine as (payload: unknown, event: string) => void)
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      void client.closed.then(stop)
    })
  })
}
