import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { watchIgnoreMatcher } from '../../src/triggers/watch.js'
import { fixture, nextEvent, recordEvents, supervisor, tempDir, until, waitForLine } from '../helpers.js'

describe('watchIgnoreMatcher', () => {
  const ignored = watchIgnoreMatcher('/app', ['logs', '*.tmp', 'dist/**', 'config/local.json'])
  it.each<[string, boolean]>([
    ['/app/index.js', false],
    ['/app/src/server.js', false],
    ['/app/node_modules/x/index.js', true],
    ['/app/src/node_modules/y.js', true],
    ['/app/.git/HEAD', true],
    ['/app/.env', true],
    ['/app/src/.cache/x', true],
    ['/app/logs', true],
    ['/app/logs/out.log', true],
    ['/app/src/logs/x.txt', true],
    ['/app/a/b/c.tmp', true],
    ['/app/dist/bundle.js', true],
    ['/app/config/local.json', true],
    ['/app/config/default.json', false],
    ['/app', false],
  ])('%s ignored: %s', (path, expected) => {
    expect(ignored(path)).toBe(expected)
  })

  it('ignores dot directories below cwd only, not a cwd that sits in one', () => {
    expect(watchIgnoreMatcher('/home/me/.apps/api', [])('/home/me/.apps/api/server.js')).toBe(false)
  })
})

describe('watch', () => {
  it('a burst of changes gives one restart with reason watch', async () => {
    const sup = supervisor()
    const dir = tempDir()
    const events = recordEvents(sup)
    await sup.start({ name: 'dev', script: fixture('long-running.cjs'), cwd: dir, watch: true, watchDelay: 600 })

    const exit = nextEvent(sup, 'process:exit')
    for (let i = 0; i < 10; i++) writeFileSync(join(dir, `file-${i}.js`), `// ${i}\n`)
    expect(await exit).toMatchObject({ reason: 'watch' })
    await nextEvent(sup, 'process:online')

    // One more change: its restart must be the only one after the burst's.
    writeFileSync(join(dir, 'file-0.js'), '// changed\n')
    await nextEvent(sup, 'process:exit')
    await nextEvent(sup, 'process:online')
    const exits = events.filter((event) => event.name === 'process:exit').map((event) => event.payload.reason)
    expect(exits).toEqual(['watch', 'watch'])
    expect(sup.list()[0]).toMatchObject({ status: 'online', restarts: 2 })
  })

  it("ignores the app's own log files, even when they are written inside the watched cwd", async () => {
    const dir = tempDir()
    const sup = supervisor({ home: dir }) // logs go to <dir>/logs, inside the watched cwd
    const [info] = await sup.start({ name: 'dev', script: fixture('ticker.cjs'), cwd: dir, watch: true, watchDelay: 100 })
    expect(info!.logFiles.out).toBe(join(dir, 'logs', 'dev-0-out.log'))
    // The ticker writes its log file every 50 ms; were that a change, it would restart every 100 ms and never reach 20.
    await waitForLine(sup, 'dev', /^tick 20$/)
    expect(sup.list()[0]).toMatchObject({ pid: info!.pid, restarts: 0 })
    expect(watchIgnoreMatcher(dir, [], [info!.logFiles.out!])(`${info!.logFiles.out!}.1.gz`)).toBe(true)
  })

  it('ignores node_modules and dot directories by default', async () => {
    const sup = supervisor()
    const dir = tempDir()
    mkdirSync(join(dir, 'node_modules'))
    mkdirSync(join(dir, '.cache'))
    const events = recordEvents(sup)
    const watching = (name: string, cwd: string) => ({ name, script: fixture('long-running.cjs'), cwd, watch: true, watchDelay: 100 })
    // Controls whose cwd is the ignored directory itself see the same writes (nothing is ignored relative to them).
    await sup.start([watching('dev', dir), watching('modules', join(dir, 'node_modules')), watching('dotdir', join(dir, '.cache'))])
    const controls = Promise.all(
      ['modules', 'dotdir'].map((name) =>
        nextEvent(sup, 'process:online', (event) => event.process.name === name && event.process.restarts === 1),
      ),
    )
    writeFileSync(join(dir, 'node_modules', 'dep.js'), '// dep\n')
    writeFileSync(join(dir, '.cache', 'entry'), 'x\n')
    await controls
    expect(
      events
        .filter((event) => event.name === 'process:exit')
        .map((event) => (event.payload.process as { name: string }).name)
        .sort(),
    ).toEqual(['dotdir', 'modules'])
  })

  it('watches the paths given, relative to cwd, and not the rest', async () => {
    const sup = supervisor()
    const dir = tempDir()
    mkdirSync(join(dir, 'src'))
    mkdirSync(join(dir, 'other'))
    const events = recordEvents(sup)
    await sup.start({ name: 'dev', script: fixture('long-running.cjs'), cwd: dir, watch: ['src'], ignoreWatch: ['*.log'], watchDelay: 200 })
    writeFileSync(join(dir, 'other', 'x.js'), '// not watched\n')
    writeFileSync(join(dir, 'src', 'debug.log'), 'ignored\n')
    writeFileSync(join(dir, 'src', 'app.js'), '// watched\n')
    await nextEvent(sup, 'process:exit')
    await nextEvent(sup, 'process:online')
    expect(events.filter((event) => event.name === 'process:exit').map((event) => event.payload.reason)).toEqual(['watch'])
  })

  it('stop closes the watcher; restart() opens it again', async () => {
    const sup = supervisor()
    const [stoppedDir, controlDir] = [tempDir(), tempDir()]
    const watchers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'FSEventWrap').length
    await sup.start([
      { name: 'stopped', script: fixture('long-running.cjs'), cwd: stoppedDir, watch: true, watchDelay: 100 },
      { name: 'control', script: fixture('long-running.cjs'), cwd: controlDir, watch: true, watchDelay: 100 },
    ])
    const watching = watchers()
    await sup.stop('stopped')
    // A closed handle leaves the list on a later turn of the event loop.
    await until(() => watchers() < watching, { message: 'the watcher of the stopped app to close' })
    const whileStopped = watchers()
    const events = recordEvents(sup)
    writeFileSync(join(stoppedDir, 'a.js'), '// 1\n')
    writeFileSync(join(controlDir, 'a.js'), '// 1\n')
    await nextEvent(sup, 'process:online', (event) => event.process.name === 'control')
    expect(
      events.filter(
        (event) => event.name.startsWith('process:') && (event.payload.process as { name?: string } | undefined)?.name === 'stopped',
      ),
    ).toEqual([])

    await sup.restart('stopped')
    // chokidar also watches each file it has seen, so count up from the stopped state.
    expect(watchers()).toBeGreaterThan(whileStopped)
    const exit = nextEvent(sup, 'process:exit', (event) => event.process.name === 'stopped')
    writeFileSync(join(stoppedDir, 'a.js'), '// 2\n')
    expect(await exit).toMatchObject({ reason: 'watch' })
  })
})

describe('teardown of triggers', () => {
  const watchers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'FSEventWrap').length

  it('close() closes every watcher', async () => {
    // The watchers of earlier tests close asynchronously (on Node 24 some were still open here): count from
    // a settled state, or from whatever stays (the wait ends quietly if something else keeps one).
    await until(() => watchers() === 0, { timeout: 5_000 }).catch(() => undefined)
    const before = watchers()
    const sup = supervisor()
    await sup.start({ name: 'dev', script: fixture('long-running.cjs'), cwd: tempDir(), watch: true, cronRestart: '0 0 1 1 *' })
    expect(watchers()).toBeGreaterThan(before)
    await sup.close()
    await until(() => watchers() === before, { message: 'every watcher to close' })
  })

  it('delete() ends the app triggers: a new app of the same name is left alone', async () => {
    const sup = supervisor()
    const dir = tempDir()
    await sup.start({ name: 'app', script: fixture('long-running.cjs'), cwd: dir, watch: true, watchDelay: 50, cronRestart: '* * * * * *' })
    await sup.delete('app')
    await sup.start([
      { name: 'app', script: fixture('long-running.cjs'), cwd: dir },
      { name: 'control', script: fixture('long-running.cjs'), cwd: dir, watch: true, watchDelay: 50, cronRestart: '* * * * * *' },
    ])
    const events = recordEvents(sup)
    writeFileSync(join(dir, 'a.js'), '// change\n')
    let cron = 0
    await nextEvent(sup, 'process:exit', (event) => event.process.name === 'control' && event.reason === 'cron' && ++cron === 2)
    expect(
      events.filter(
        (event) => event.name.startsWith('process:') && (event.payload.process as { name?: string } | undefined)?.name === 'app',
      ),
    ).toEqual([])
  })
})
