import { copyFileSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ProcessDescription, ProcessInfo } from '../../../src/index.js'
import { fixture, tempDir, until } from '../../helpers.js'
import { tendHome } from './cli-helpers.js'

describe('tend CLI verbs', { timeout: 180_000 }, () => {
  it('logs --follow prints recent lines, then new ones as they come, until interrupted', async () => {
    const tend = tendHome()
    const [first] = await tend.json<ProcessInfo[]>(['start', fixture('long-running.cjs'), '--name', 'chatty'])
    const follower = tend.spawn(['logs', 'chatty', '--follow', '--lines', '5'])
    let output = ''
    follower.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve(code)))
    await until(() => output.includes(`0|chatty | started ${first!.pid} instance=0`), { timeout: 30_000, message: 'the recent line' })
    const [second] = await tend.json<ProcessInfo[]>(['restart', 'chatty'])
    await until(() => output.includes(`started ${second!.pid} instance=0`), {
      timeout: 30_000,
      message: 'the line of the restarted process',
    })
    follower.kill('SIGINT')
    expect(await exited).toBe(0)
  })

  it('signal sends a signal by name, and the process comes back as a crash restart', async () => {
    const tend = tendHome()
    const [app] = await tend.json<ProcessInfo[]>(['start', fixture('long-running.cjs'), '--name', 'sig'])
    const acted = await tend.json<ProcessInfo[]>(['signal', 'term', 'sig'])
    expect(acted.map((info) => info.pid)).toEqual([app!.pid])
    let now: ProcessInfo[] = []
    const deadline = Date.now() + 30_000
    while (!(now[0]?.restarts === 1 && now[0].status === 'online') && Date.now() < deadline)
      now = await tend.json<ProcessInfo[]>(['describe', 'sig'])
    expect(now[0]).toMatchObject({ restarts: 1, status: 'online', signal: 'SIGTERM' })
  })

  it('flush empties the log files in TEND_HOME/logs, and reload-logs reopens them', async () => {
    const tend = tendHome()
    const [app] = await tend.json<ProcessInfo[]>(['start', fixture('long-running.cjs'), '--name', 'fl'])
    const outFile = app!.logFiles.out!
    expect(outFile).toBe(join(tend.home, 'logs', `fl-${app!.instance}-out.log`))
    await until(() => existsSync(outFile) && readFileSync(outFile, 'utf8').includes('started'), {
      message: 'the first line in the log file',
    })
    expect(await tend.json<ProcessInfo[]>(['flush', 'fl'])).toMatchObject([{ name: 'fl' }])
    expect(statSync(outFile).size).toBe(0)
    renameSync(outFile, `${outFile}.old`)
    expect(await tend.json(['reload-logs'])).toEqual({ reopened: true })
    await tend.json(['restart', 'fl'])
    await until(() => existsSync(outFile) && readFileSync(outFile, 'utf8').includes('started'), { message: 'a line in the reopened file' })
  })

  it('start --watch restarts the app when a file in its cwd changes', async () => {
    const tend = tendHome()
    const dir = tempDir()
    copyFileSync(fixture('long-running.cjs'), join(dir, 'app.cjs'))
    const [app] = await tend.json<ProcessInfo[]>(['start', join(dir, 'app.cjs'), '--name', 'watched', '--watch', '--cwd', dir])
    const [described] = await tend.json<ProcessDescription[]>(['describe', 'watched'])
    expect(described!.spec).toMatchObject({ watch: [dir], cwd: dir })
    let now: ProcessInfo[] = [app!]
    const deadline = Date.now() + 60_000
    // The watcher may arm just after start() resolves, and each change restarts the debounce
    // (watchDelay): write one file, wait a while for the restart, and only then try again.
    for (let i = 0; now[0]!.pid === app!.pid && Date.now() < deadline; i++) {
      writeFileSync(join(dir, `change-${i}.txt`), String(i))
      const settle = Date.now() + 8_000
      while (now[0]!.pid === app!.pid && Date.now() < settle) now = await tend.json<ProcessInfo[]>(['describe', 'watched'])
    }
    expect(now[0]!.pid).not.toBe(app!.pid)
    expect(now[0]!.restarts).toBeGreaterThanOrEqual(1)
  })

  it('save refuses to replace a dump with nothing unless forced; kill without a daemon says so', async () => {
    const tend = tendHome()
    await tend.run(['start', fixture('long-running.cjs'), '--name', 'keep'])
    expect(await tend.json(['save'])).toMatchObject({ apps: 1 })
    await tend.run(['delete', 'keep'])
    const refused = await tend.run(['save'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(
      /^tend: Nothing runs: saving would replace the 1 app\(s\) in .*dump\.json with none .*\(TEND_ERR_INVALID_ARGUMENT\)\n$/,
    )
    expect((JSON.parse(readFileSync(join(tend.home, 'dump.json'), 'utf8')) as { apps: unknown[] }).apps).toHaveLength(1)
    expect(await tend.json(['save', '--force'])).toMatchObject({ apps: 0 })
    expect(await tend.json(['kill'])).toMatchObject({ killed: true })
    expect(await tend.json(['kill'])).toEqual({ killed: false, pid: null })
  })

  it('treats a pid file naming a live process that is no tend daemon as stale', async () => {
    const tend = tendHome()
    writeFileSync(join(tend.home, 'tend.pid'), `${process.pid}\n`)
    const answer = await tend.json<{ pid: number }>(['ping'])
    expect(answer.pid).not.toBe(process.pid)
    expect(tend.daemonPid()).toBe(answer.pid)
  })

  it('fails with one clear line when TEND_HOME is too long for its socket, before launching anything', async () => {
    const tend = tendHome()
    const home = join(tend.home, 'x'.repeat(120))
    const result = await tend.run(['ping'], { env: { TEND_HOME: home } })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /^tend: The socket path \S+\/rpc\.sock is \d+ bytes; Unix sockets allow 10[37]\. Use a shorter TEND_HOME \(TEND_ERR_SOCKET\)\n$/,
    )
    expect(existsSync(home)).toBe(false)
  })
})
