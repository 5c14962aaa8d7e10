/**
 * PM2's verbs against a real daemon: the lookups (pid, id, jlist,
 * prettylist, status/l/ps), reset, send to stdin, sendSignal, describe's
 * last exit, logs per process from memory and files, failures as one line
 * (and JSON), and update. One daemon per test, several verbs each.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ProcessInfo } from '../../../src/index.js'
import { fixture, isAlive, until } from '../../helpers.js'
import { tendHome } from './cli-helpers.js'

async function eventually(condition: () => Promise<boolean>, message: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (!(await condition())) if (Date.now() > deadline) throw new Error(`Timed out waiting for ${message}`)
}

describe('PM2 verbs in tend', { timeout: 240_000 }, () => {
  it('pid, id, jlist, prettylist, status/l/ps, send to stdin, sendSignal, and reset', async () => {
    const tend = tendHome()
    const [echo] = await tend.json<ProcessInfo[]>(['start', fixture('stdin-echo.cjs'), '--name', 'echo'])
    const pair = await tend.json<ProcessInfo[]>(['start', fixture('long-running.cjs'), '--name', 'pair', '-i', '2', '--fork'])

    expect(await tend.run(['pid', 'pair'])).toMatchObject({ code: 0, stdout: `${pair[0]!.pid}\n${pair[1]!.pid}\n` })
    expect(await tend.run(['id', 'pair'])).toMatchObject({ code: 0, stdout: `[${pair[0]!.id},${pair[1]!.id}]\n` })
    const jlist = await tend.run(['jlist'])
    expect((JSON.parse(jlist.stdout) as ProcessInfo[]).map((info) => info.name)).toEqual(['echo', 'pair', 'pair'])
    const pretty = await tend.run(['prettylist'])
    expect(pretty.stdout).toMatch(/^\[\n {2}\{\n {4}"id": 0,/)
    for (const alias of ['status', 'l', 'ps']) expect((await tend.run([alias])).stdout.split('\n')[0]).toMatch(/^id\s+name\s+namespace/)

    // pm2 send <id> <line>: a line on the process's stdin
    const sent = await tend.run(['send', String(echo!.id), 'hello', 'there'])
    expect(sent).toMatchObject({ code: 0, stdout: `wrote a line to the stdin of echo (id ${echo!.id})\n` })
    await eventually(async () => (await tend.run(['logs', 'echo'])).stdout.includes('|echo | got hello there'), 'the echoed line')

    // pm2 sendSignal SIGTERM pair: a crash restart, then pm2 reset pair
    await tend.json(['sendSignal', 'SIGTERM', String(pair[0]!.id)])
    await eventually(async () => {
      const [first] = await tend.json<ProcessInfo[]>(['describe', String(pair[0]!.id)])
      return first!.restarts === 1 && first!.status === 'online'
    }, 'the signalled process to come back')
    const reset = await tend.json<ProcessInfo[]>(['reset', 'pair'])
    expect(reset.map((info) => info.restarts)).toEqual([0, 0])
    expect((await tend.json<ProcessInfo[]>(['describe', 'pair'])).map((info) => info.restarts)).toEqual([0, 0])
    expect(await tend.run(['reset', 'nope'])).toMatchObject({
      code: 1,
      stderr: 'tend: No process or app matches "nope" (TEND_ERR_NOT_FOUND)\n',
    })
  })

  it("describe tells the last exit and its reason; ls shows '-' for a stopped process; failures are one line, and JSON under --json", async () => {
    const tend = tendHome()
    const eco = join(tend.home, 'process.json')
    writeFileSync(
      eco,
      JSON.stringify({
        apps: [{ name: 'crasher', script: fixture('exit-with.cjs'), args: ['3', '300'], min_uptime: 100, restart_delay: 200 }],
      }),
    )
    await tend.json(['start', eco])
    await eventually(
      async () => /last exit\s+code 3, crash, at/.test((await tend.run(['describe', 'crasher'])).stdout),
      'a crash in describe',
    )
    const text = (await tend.run(['describe', 'crasher'])).stdout
    expect(text).toMatch(/restarts\s+[1-9]/)
    expect(text).toMatch(/restart policy\s+restart after 200 ms; errored after 16 unstable restarts \(runs under 100 ms\)/)
    expect(text.split('\n').length).toBeLessThan(25)
    const [described] = await tend.json<(ProcessInfo & { lastExit: { code: number; reason: string } | null })[]>(['describe', 'crasher'])
    expect(described!.lastExit).toMatchObject({ code: 3, reason: 'crash' })

    await tend.run(['stop', 'crasher'])
    const row = (await tend.run(['ls'])).stdout.split('\n')[1]!
    expect(row).toMatch(/^0\s+crasher\s+default\s+fork\s+-\s+-\s+\d+\s+stopped\s+-\s+-\s+disabled$/)
    // The stop lands either on a running child (its exit is the stop's) or between runs, while the
    // restart waits (then the last exit is still the crash): both are what describe must show.
    expect((await tend.run(['describe', 'crasher'])).stdout).toMatch(/last exit\s+(signal SIGINT, stop|code 3, crash), at/)

    const missing = await tend.run(['describe', 'nope', '--json'])
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.stdout)).toEqual({ error: { code: 'TEND_ERR_NOT_FOUND', message: 'No process or app matches "nope"' } })
    expect(missing.stderr).toBe('tend: No process or app matches "nope" (TEND_ERR_NOT_FOUND)\n')

    await tend.json(['save'])
    await tend.run(['delete', 'crasher'])
    const refused = await tend.run(['save'])
    expect(refused.stderr).toContain('(tend save --force, or save({ force: true }), does it anyway) (TEND_ERR_INVALID_ARGUMENT)\n')
    expect(refused.stderr).not.toContain('use force')
  })

  it('logs: --lines per process, from the files when memory lacks them, --err/--out, --raw, --timestamp and --json', async () => {
    const tend = tendHome()
    const started = await tend.run(['start', fixture('print-lines.cjs'), '--name', 'lines', '-i', '2', '--fork', '--json', '--', '6'])
    const [a, b] = JSON.parse(started.stdout) as ProcessInfo[]
    tend.track(a!.pid, b!.pid)
    await eventually(
      async () =>
        (await tend.run(['logs', 'lines', '--lines', '100'])).stdout.split('\n').filter((line) => line.includes('line 5')).length === 2,
      'both processes to print',
    )

    const two = (await tend.run(['logs', 'lines', '--lines', '2', '--out'])).stdout
    expect(two).toBe(`${a!.id}|lines | line 4\n${a!.id}|lines | line 5\n${b!.id}|lines | line 4\n${b!.id}|lines | line 5\n`)
    expect((await tend.run(['logs', 'lines', '--lines', '1', '--err'])).stdout).toBe(
      `${a!.id}|lines (err) | to stderr\n${b!.id}|lines (err) | to stderr\n`,
    )
    expect((await tend.run(['logs', String(a!.id), '--lines', '1', '--out', '--raw'])).stdout).toBe('line 5\n')
    expect((await tend.run(['logs', String(a!.id), '--lines', '1', '--out', '--timestamp'])).stdout).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 0\|lines \| line 5\n$/,
    )
    // more lines asked for than the process has printed: all of them, each with its time, stdout and stderr in the order they came
    const all = (await tend.run(['logs', String(a!.id), '--lines', '100', '--timestamp'])).stdout.trim().split('\n')
    expect(all).toHaveLength(7)
    for (const line of all) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 0\|lines( \(err\))? \| (line \d|to stderr)$/)
    const json = (await tend.run(['logs', String(a!.id), '--lines', '1', '--out', '--json'])).stdout
    expect(JSON.parse(json)).toMatchObject({ id: a!.id, name: 'lines', stream: 'out', line: 'line 5', source: 'memory' })

    // Lines older than memory holds: after a flush of memory only (the file keeps them), they come from the file.
    const file = a!.logFiles.out!
    expect(readFileSync(file, 'utf8')).toContain('line 0\n')
    writeFileSync(file, `${Array.from({ length: 30 }, (_, i) => `old ${i}`).join('\n')}\n${readFileSync(file, 'utf8')}`)
    const many = (await tend.run(['logs', String(a!.id), '--lines', '20', '--out', '--json'])).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { line: string; source: string; at: unknown })
    expect(many).toHaveLength(20)
    expect(many[0]).toMatchObject({ source: 'file', at: null })
    expect(many.map((line) => line.line)).toContain('old 29')
    expect(many.at(-1)).toMatchObject({ line: 'line 5', at: expect.any(Number) as number }) // the file's newest lines are memory's: their times are known
  })

  it('logs --follow goes on across rotations of the log files, every line once and in order', async () => {
    const tend = tendHome()
    const eco = join(tend.home, 'rotating.json')
    writeFileSync(eco, JSON.stringify({ apps: [{ name: 'tick', script: fixture('ticker.cjs'), rotate: { maxSize: 2048, maxFiles: 3 } }] }))
    const [tick] = await tend.json<ProcessInfo[]>(['start', eco])
    const follower = tend.spawn(['logs', 'tick', '--follow', '--lines', '0', '--raw'])
    let output = ''
    follower.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const rotated = `${tick!.logFiles.out!}.1`
    await until(() => existsSync(rotated), { timeout: 60_000, message: 'a rotation of the out file' })
    const seen = output.length
    await until(() => existsSync(`${tick!.logFiles.out!}.2`), { timeout: 60_000, message: 'a second rotation' })
    await until(() => output.length > seen && /tick \d+\n$/.test(output), { timeout: 30_000, message: 'lines after the rotation' })
    const numbers = output
      .trim()
      .split('\n')
      .map((line) => Number(/^tick (\d+)$/.exec(line)![1]))
    // every line once, in order, across both rotations
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i))
    follower.kill('SIGINT')
    await new Promise((resolve) => follower.once('exit', resolve))
  })

  it('update replaces the daemon with a new one and keeps the apps', async () => {
    const tend = tendHome()
    const [app] = await tend.json<ProcessInfo[]>(['start', fixture('long-running.cjs'), '--name', 'kept'])
    const before = tend.daemonPid()!
    const updated = await tend.json<{ updated: boolean; from: { pid: number }; to: { pid: number }; processes: number }>(['update'])
    expect(updated).toMatchObject({ updated: true, from: { pid: before }, processes: 1 })
    expect(updated.to.pid).not.toBe(before)
    expect(isAlive(before)).toBe(false)
    await until(() => !isAlive(app!.pid!), { message: 'the old run of the app to stop' })
    const [again] = await tend.json<ProcessInfo[]>(['describe', 'kept'])
    expect(again).toMatchObject({ name: 'kept', status: 'online' })
  })
})
