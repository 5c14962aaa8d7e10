/**
 * At the machine's limits: few file descriptors, spawns refused by the
 * process limit, a full disk under the dump and the logs. Each failure is a
 * typed error or event naming its cause; the daemon stays up and keeps
 * serving what runs; nothing already saved is lost.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { LogFileErrorEvent, ProcessInfo } from '../../src/index.js'
import { connect } from '../../src/rpc.js'
import { fixture, onCleanup, until } from '../helpers.js'
import { canMountTmpfs, canRunAsOwnUser, limitedDaemon, shortHome, type LimitedDaemon } from './limited-daemon.js'

const sleepers = (name: string, instances: number) =>
  ({ name, script: '/bin/sleep', args: ['3600'], interpreter: 'none', instances }) as const

/** Starts `instances` sleepers that should not all fit; resolves with the error the start rejected with. */
async function startTooMany(daemon: LimitedDaemon, name: string, instances: number): Promise<Error & Record<string, unknown>> {
  const outcome = await daemon.client.start(sleepers(name, instances)).then(
    (started) => ({ started }),
    (error: unknown) => ({ error: error as Error & Record<string, unknown> }),
  )
  if ('started' in outcome) {
    daemon.track(...outcome.started.map((info) => info.pid))
    throw new Error(`all ${instances} processes of ${name} started: the limit did not bind`)
  }
  return outcome.error
}

/** The steady app is still online with the very same pids, and a fresh connection is served. */
async function stillServing(daemon: LimitedDaemon, steady: readonly ProcessInfo[]): Promise<void> {
  const now = await daemon.client.describe('steady')
  expect(now.map((info) => [info.status, info.pid])).toEqual(steady.map((info) => ['online', info.pid]))
  const fresh = await connect({ socketPath: join(daemon.home, 'rpc.sock') })
  onCleanup(() => fresh.close())
  expect(await fresh.call('ping')).toMatchObject({ pid: daemon.pid })
  expect((await fresh.list()).length).toBeGreaterThanOrEqual(steady.length)
}

describe.runIf(process.platform === 'linux')('at the limits of the machine', { timeout: 300_000 }, () => {
  it('with ulimit -n 256, starting 300 processes fails with a typed error naming EMFILE, and the daemon keeps serving', async () => {
    const daemon = await limitedDaemon({ ulimit: { n: 256 } })
    const steady = await daemon.client.start(sleepers('steady', 3))
    daemon.track(...steady.map((info) => info.pid))

    const error = await startTooMany(daemon, 'many', 300)
    // Either the log files or the spawns run out first; both say so.
    expect(['TEND_ERR_LOG_FILE', 'TEND_ERR_SPAWN']).toContain(error.code)
    expect(error.message).toMatch(/EMFILE/)
    if (error.code === 'TEND_ERR_SPAWN') expect(error.errno).toBe('EMFILE')

    await stillServing(daemon, steady)
    // What did start of the app (if anything) is listed and can be deleted; the descriptors come back.
    const many = (await daemon.client.list()).filter((info) => info.name === 'many')
    daemon.track(...many.map((info) => info.pid))
    if (many.length > 0) await daemon.client.delete('many')
    const again = await daemon.client.start(sleepers('after', 3))
    daemon.track(...again.map((info) => info.pid))
    expect(again.every((info) => info.status === 'online')).toBe(true)
  })

  // RLIMIT_NPROC does not bind root, so the daemon runs as a user id of its own (whose processes are the daemon's alone).
  // Without root (CI runners) it is skipped: there the limit would count every process of the runner's user.
  it.runIf(canRunAsOwnUser)(
    'with spawns refused (ulimit -u, EAGAIN), start fails with SpawnError naming EAGAIN, and the daemon keeps serving',
    async () => {
      // The daemon's own threads count too: ~11 tasks of node, a few sleepers, then the refusals.
      const daemon = await limitedDaemon({ ulimit: { u: 24 }, ownUser: true })
      const steady = await daemon.client.start(sleepers('steady', 3))
      daemon.track(...steady.map((info) => info.pid))

      const error = await startTooMany(daemon, 'many', 40)
      expect(error).toMatchObject({ code: 'TEND_ERR_SPAWN', errno: 'EAGAIN', name: 'SpawnError' })
      expect(error.message).toMatch(/EAGAIN.*process limit/)
      const many = await daemon.client.describe('many')
      daemon.track(...many.map((info) => info.pid))
      expect(many.some((info) => info.status === 'errored')).toBe(true)

      await stillServing(daemon, steady)
      await daemon.client.delete('many')
      expect((await daemon.client.list()).map((info) => info.name)).toEqual(['steady', 'steady', 'steady'])
    },
  )

  // A really full disk: a 1 MiB tmpfs as TEND_HOME (root may mount one; without root it is skipped).
  it.runIf(canMountTmpfs)(
    'with a full disk, the log files report ENOSPC, save fails with DumpError naming it, and the saved dump stays whole',
    async () => {
      const home = shortHome()
      const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', home])
      if (mounted.status !== 0) throw new Error(`mount failed: ${String(mounted.stderr)}`)
      // registered first, so it runs last: after the daemon is gone
      onCleanup(() => {
        const unmounted = spawnSync('umount', [home])
        if (unmounted.status !== 0) spawnSync('umount', ['-l', home])
      })
      mkdirSync(join(home, 'logs'), { mode: 0o700 })
      const daemon = await limitedDaemon({ ulimit: {}, home })
      const steady = await daemon.client.start(sleepers('steady', 2))
      daemon.track(...steady.map((info) => info.pid))
      const saved = await daemon.client.call<{ apps: number }>('save')
      expect(saved.apps).toBe(1)
      const dumpBefore = readFileSync(join(home, 'dump.json'), 'utf8')

      // An app that prints as fast as it can fills the disk.
      const fileErrors: LogFileErrorEvent[] = []
      await daemon.client.on('logfile:error', (event) => fileErrors.push(event))
      const [chatty] = await daemon.client.start({ name: 'chatty', script: fixture('flood.cjs') })
      daemon.track(chatty!.pid)
      await until(() => fileErrors.length > 0, { timeout: 120_000, message: 'a logfile:error event' })
      expect(fileErrors[0]).toMatchObject({ app: 'chatty', error: { code: 'ENOSPC' } })

      const error = await daemon.client.call('save').catch((caught: unknown) => caught as Error & Record<string, unknown>)
      expect(error).toMatchObject({ code: 'TEND_ERR_DUMP', name: 'DumpError', path: join(home, 'dump.json') })
      expect((error as Error).message).toMatch(/ENOSPC/)
      // nothing already saved is lost: the dump is the one saved before, whole
      expect(readFileSync(join(home, 'dump.json'), 'utf8')).toBe(dumpBefore)
      expect((JSON.parse(dumpBefore) as { apps: { name: string }[] }).apps.map((app) => app.name)).toEqual(['steady'])

      // the daemon keeps serving: the chatty app runs on with its lines in memory, the steady one untouched
      await stillServing(daemon, steady)
      expect((await daemon.client.describe('chatty'))[0]).toMatchObject({ status: 'online', pid: chatty!.pid })
      expect((await daemon.client.logs('chatty', { lines: 5 })).length).toBe(5)
      await daemon.client.delete('chatty')
    },
  )
})
