import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LogFileError } from '../../src/index.js'
import { fixture, nextEvent, supervisor, tempDir, waitForLine } from '../helpers.js'
import { expectSequences, linesOf } from './log-check.js'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /

/** Paths this process holds open (Linux). */
function openPaths(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)]
    } catch {
      return []
    }
  })
}

describe('log files', () => {
  it('writes <name>-<id>-out.log and -err.log under <home>/logs, and names them in logFiles', async () => {
    const home = tempDir()
    const sup = supervisor({ home })
    const exited = nextEvent(sup, 'process:exit')
    const [info] = await sup.start({
      name: 'printer',
      script: fixture('write-lines.cjs'),
      args: ['6', 't', 'both', 'partial'],
      autorestart: false,
    })
    const out = join(home, 'logs', `printer-${info!.instance}-out.log`)
    const err = join(home, 'logs', `printer-${info!.instance}-err.log`)
    expect(info!.logFiles).toEqual({ out, err })
    await exited
    await sup.stop('printer')
    const pad = 'x'.repeat(80)
    // the partial last line is written when the stream ends, with a newline
    expect(readFileSync(out, 'utf8')).toBe(`t out 0 ${pad}\nt out 1 ${pad}\nt out 2 ${pad}\nt tail-without-newline\n`)
    expect(readFileSync(err, 'utf8')).toBe(`t err 0 ${pad}\nt err 1 ${pad}\nt err 2 ${pad}\n`)
  })

  it('keeps 200,000 lines from one child, in order, none lost or duplicated, with the partial last line', async () => {
    const home = tempDir()
    const sup = supervisor({ home })
    const exited = nextEvent(sup, 'process:exit', () => true, 120_000)
    const [info] = await sup.start({
      name: 'fast',
      script: fixture('write-lines.cjs'),
      args: ['200000', 'solo', 'out', 'partial'],
      autorestart: false,
      rotate: false,
    })
    await exited
    await sup.stop('fast')
    const lines = linesOf(readFileSync(info!.logFiles.out!, 'utf8'))
    expect(lines.pop()).toBe('solo tail-without-newline')
    expect(expectSequences(lines)).toEqual(new Map([['solo:out', 200_000]]))
  })

  it('keeps every line of 4 children writing stdout and stderr at once into one merged, combined file', async () => {
    const home = tempDir()
    const sup = supervisor({ home })
    let exits = 0
    const allExited = nextEvent(sup, 'process:exit', () => ++exits === 4, 120_000)
    const infos = await sup.start({
      name: 'many',
      script: fixture('write-lines.cjs'),
      args: ['50000', '-', 'both'],
      instances: 4,
      autorestart: false,
      mergeLogs: true,
      logFile: 'logs/all.log',
      outFile: false,
      errorFile: false,
      cwd: home,
      rotate: false,
    })
    const combined = join(home, 'logs', 'all.log')
    for (const info of infos) expect(info.logFiles).toEqual({ combined })
    await allExited
    await sup.stop('many')
    const counts = expectSequences(linesOf(readFileSync(combined, 'utf8')))
    expect(counts).toEqual(
      new Map(
        ['w0', 'w1', 'w2', 'w3'].flatMap((tag) => [
          [`${tag}:out`, 25_000],
          [`${tag}:err`, 25_000],
        ]),
      ),
    )
  })

  it('prefixes every line, and only lines, with an ISO 8601 UTC timestamp when time is true', async () => {
    const dir = tempDir()
    const sup = supervisor()
    const exited = nextEvent(sup, 'process:exit', () => true, 60_000)
    const before = Date.now()
    await sup.start({
      name: 'stamped',
      script: fixture('write-lines.cjs'),
      args: ['20000', 'ts', 'out', 'partial'],
      autorestart: false,
      outFile: join(dir, 'out.log'),
      time: true,
    })
    await exited
    await sup.stop('stamped')
    const lines = linesOf(readFileSync(join(dir, 'out.log'), 'utf8'))
    for (const line of lines) {
      expect(line).toMatch(ISO)
      const at = Date.parse(line.slice(0, 24))
      expect(at).toBeGreaterThanOrEqual(before - 1000)
    }
    expect(lines.pop()!.slice(25)).toBe('ts tail-without-newline')
    expect(expectSequences(lines, (line) => line.slice(25))).toEqual(new Map([['ts:out', 20_000]]))
  })

  it('prefixes lines with logDateFormat, and writes JSON objects with logType json', async () => {
    const dir = tempDir()
    const sup = supervisor()
    let exits = 0
    const exited = nextEvent(sup, 'process:exit', () => ++exits === 2)
    const common = { script: fixture('write-lines.cjs'), autorestart: false, outFile: false as const, errorFile: false as const }
    await sup.start([
      {
        ...common,
        name: 'fmt',
        args: ['30', 'f', 'out', 'partial'],
        outFile: join(dir, 'fmt.log'),
        logDateFormat: '[at] YYYY-MM-DD HH:mm:ss.SSS Z',
      },
      { ...common, name: 'json', args: ['30', 'j', 'both', 'partial'], logFile: join(dir, 'json.log'), logType: 'json' },
    ])
    await exited
    await sup.stop(['fmt', 'json'])
    const fmt = linesOf(readFileSync(join(dir, 'fmt.log'), 'utf8'))
    const stamp = /^at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d /
    for (const line of fmt) expect(line).toMatch(stamp)
    expect(fmt.pop()!.replace(stamp, '')).toBe('f tail-without-newline')
    expect(expectSequences(fmt, (line) => line.replace(stamp, ''))).toEqual(new Map([['f:out', 30]]))

    const records = linesOf(readFileSync(join(dir, 'json.log'), 'utf8')).map((line) => JSON.parse(line) as Record<string, unknown>)
    const [id] = sup.describe('json').map((info) => info.id)
    for (const record of records) {
      expect(Object.keys(record)).toEqual(['time', 'app', 'instance', 'id', 'stream', 'message'])
      expect(record).toMatchObject({ app: 'json', instance: 0, id })
      expect(String(record.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      expect(String(record.message)).toMatch(
        record.message === 'j tail-without-newline' ? /^j tail/ : new RegExp(`^j ${String(record.stream)} `),
      )
    }
    const out = records.filter((record) => record.stream === 'out').map((record) => String(record.message))
    const err = records.filter((record) => record.stream === 'err').map((record) => String(record.message))
    expect(out.pop()).toBe('j tail-without-newline')
    expect(expectSequences([...out, ...err])).toEqual(
      new Map([
        ['j:out', 15],
        ['j:err', 15],
      ]),
    )
  })

  it('resolves relative paths against the cwd, creates directories, and gives each instance its own file unless merged', async () => {
    const cwd = tempDir()
    const sup = supervisor()
    const infos = await sup.start({
      name: 'pair',
      script: fixture('long-running.cjs'),
      cwd,
      instances: 2,
      outFile: 'deep/er/out.log',
      errorFile: '/dev/null',
    })
    expect(infos.map((info) => info.logFiles)).toEqual(infos.map((info) => ({ out: join(cwd, 'deep', 'er', `out-${info.instance}.log`) })))
    for (const info of infos) await waitForLine(sup, info.id, /started/)
    await sup.stop('pair')
    for (const info of infos) expect(readFileSync(info.logFiles.out!, 'utf8')).toMatch(/^started \d+ instance=\d/)
  })

  it('opens files for processes added by scale, and closes those of removed and deleted processes', async () => {
    const home = tempDir()
    const sup = supervisor({ home })
    const [first] = await sup.start({ name: 'grow', script: fixture('long-running.cjs') })
    const [, second] = await sup.scale('grow', 2)
    expect(second!.logFiles).toEqual({
      out: join(home, 'logs', `grow-${second!.instance}-out.log`),
      err: join(home, 'logs', `grow-${second!.instance}-err.log`),
    })
    await waitForLine(sup, second!.id, /^started/)
    expect(openPaths()).toContain(second!.logFiles.out)
    await sup.scale('grow', 1)
    expect(openPaths()).not.toContain(second!.logFiles.out)
    expect(readFileSync(second!.logFiles.out!, 'utf8')).toMatch(/^started \d+ instance=1\n$/)
    expect(openPaths()).toContain(first!.logFiles.out)
    await sup.delete('grow')
    expect(openPaths().filter((path) => path.startsWith(home))).toEqual([])
  })

  it('writes no file with disableLogs, but keeps lines in memory', async () => {
    const home = tempDir()
    const sup = supervisor({ home })
    const [info] = await sup.start({ name: 'quiet', script: fixture('print-lines.cjs'), args: ['3'], disableLogs: true })
    expect(info!.logFiles).toEqual({})
    await waitForLine(sup, 'quiet', /^line 2$/)
    await sup.stop('quiet')
    expect(existsSync(join(home, 'logs'))).toBe(false)
  })

  it('rejects an unwritable log path with LogFileError at start, and starts nothing', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a-file'), '')
    mkdirSync(join(dir, 'a-dir'))
    const sup = supervisor()
    const underFile = sup.start({ name: 'bad', script: fixture('long-running.cjs'), outFile: join(dir, 'a-file', 'out.log') })
    await expect(underFile).rejects.toBeInstanceOf(LogFileError)
    await expect(underFile).rejects.toMatchObject({
      code: 'TEND_ERR_LOG_FILE',
      app: 'bad',
      path: join(dir, 'a-file', 'out.log'),
      errno: 'ENOTDIR',
    })
    const isDir = sup.start({ name: 'bad', script: fixture('long-running.cjs'), errorFile: join(dir, 'a-dir') })
    await expect(isDir).rejects.toMatchObject({ code: 'TEND_ERR_LOG_FILE', errno: 'EISDIR' })
    expect(sup.list()).toEqual([])
  })

  it('flushLogs empties the files and reopenLogs follows an external rename', async () => {
    const dir = tempDir()
    const sup = supervisor()
    const [info] = await sup.start({ name: 'app', script: fixture('print-messages.cjs'), outFile: join(dir, 'out.log') })
    const out = info!.logFiles.out!
    const say = async (text: string): Promise<void> => {
      await sup.send('app', text)
      await waitForLine(sup, 'app', new RegExp(`^${text}$`))
    }
    await say('one')
    await sup.flushLogs('app')
    await say('two')
    renameSync(out, `${out}.moved`)
    await sup.reopenLogs()
    await say('three')
    await sup.stop('app')
    expect(readdirSync(dir).sort()).toEqual(['out.log', 'out.log.moved'])
    expect(readFileSync(`${out}.moved`, 'utf8')).toBe('two\n')
    expect(readFileSync(out, 'utf8')).toBe('three\n')
  })
})

describe('log files in cluster mode', () => {
  it('captures the workers like forked children: merged file, every line, in order per worker', async () => {
    const dir = tempDir()
    const sup = supervisor()
    const infos = await sup.start({
      name: 'clustered',
      script: fixture('lines-then-listen.cjs'),
      args: ['20000'],
      mode: 'cluster',
      instances: 2,
      mergeLogs: true,
      outFile: join(dir, 'out.log'),
      errorFile: false,
    })
    for (const info of infos) expect(info.logFiles).toEqual({ out: join(dir, 'out.log') })
    await waitForLine(sup, infos[0]!.id, /^w0 out 19999 /)
    await waitForLine(sup, infos[1]!.id, /^w1 out 19999 /)
    await sup.stop('clustered')
    expect(expectSequences(linesOf(readFileSync(join(dir, 'out.log'), 'utf8')))).toEqual(
      new Map([
        ['w0:out', 20_000],
        ['w1:out', 20_000],
      ]),
    )
  })
})
