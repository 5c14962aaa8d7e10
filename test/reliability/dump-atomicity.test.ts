import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startDaemon } from '../../src/adapters/daemon/daemon.js'
import { readDump, writeDump } from '../../src/adapters/daemon/dump.js'
import { connect, DumpError } from '../../src/rpc.js'
import { tendHome } from '../adapters/cli/cli-helpers.js'
import { shortTempDir } from '../adapters/rpc/rpc-helpers.js'
import { dumpApps } from '../fixtures/dump-content.js'
import { mulberry32 } from '../../bench/lib.js'
import { fixture, isAlive, onCleanup } from '../helpers.js'

/** The dump number a file holds, after checking it is exactly what the writer saved as that number. */
function dumpNumber(path: string): number {
  const dump = JSON.parse(readFileSync(path, 'utf8')) as { apps: { env?: Record<string, string> }[] }
  const n = Number(dump.apps[0]!.env!.SEQ)
  expect(dump.apps, `${path} holds dump ${n} whole`).toEqual(dumpApps(n))
  return n
}

/** Runs the writer fixture until it has saved once, lets it run `delay` ms more, then SIGKILLs it. */
async function killWriterAfter(path: string, delay: number): Promise<void> {
  const writer = spawn(process.execPath, ['--import', 'tsx', fixture('dump-writer.ts'), path], { stdio: ['ignore', 'pipe', 'inherit'] })
  onCleanup(() => {
    if (writer.exitCode === null && writer.signalCode === null) writer.kill('SIGKILL')
  })
  const exited = new Promise((resolve) => writer.once('exit', resolve))
  await new Promise<void>((resolve, reject) => {
    writer.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('ready') && resolve())
    writer.once('exit', (code) => reject(new Error(`the writer exited with ${code} before its first save`)))
  })
  // The random moment of the kill (not a wait for a condition).
  await new Promise((resolve) => setTimeout(resolve, delay))
  writer.kill('SIGKILL')
  await exited
  expect(isAlive(writer.pid!)).toBe(false)
}

describe('dump.json under SIGKILL', { timeout: 60_000 }, () => {
  it('holds the old or the new dump, whole, after a kill at a random point of save, and so does the .bak', async () => {
    const seed = 8
    const random = mulberry32(seed)
    const path = join(shortTempDir(), 'dump.json')
    const rounds = 16
    let last = 0
    let advanced = 0
    for (let round = 0; round < rounds; round++) {
      await killWriterAfter(path, Math.floor(random() * 40))
      const n = dumpNumber(path)
      expect(n, `round ${round} (seed ${seed})`).toBeGreaterThan(last) // each writer saved at least once
      // The very first dump has no .bak yet (the first writer may die before its second save on a loaded machine).
      if (n > 1 || existsSync(`${path}.bak`)) {
        const backup = dumpNumber(`${path}.bak`)
        expect([n - 1, n], `round ${round} (seed ${seed}): the .bak is the dump before, or the same one mid-save`).toContain(backup)
      }
      expect(statSync(path).mode & 0o777).toBe(0o600)
      if (n > last + 1) advanced++
      last = n
    }
    expect(advanced).toBeGreaterThan(0)
    // A writer killed mid-save leaves a temp file; the next save clears what dead writers left.
    writeDump(path, dumpApps(last + 1))
    expect(readdirSync(join(path, '..')).sort()).toEqual(['dump.json', 'dump.json.bak'])
    expect(dumpNumber(path)).toBe(last + 1)
    expect(dumpNumber(`${path}.bak`)).toBe(last)
  })
})

describe('a damaged dump.json', { timeout: 30_000 }, () => {
  it('makes resurrect fail with a DumpError (TEND_ERR_DUMP), in process and over RPC, and never costs the good .bak', async () => {
    const home = shortTempDir()
    const daemon = await startDaemon({ home, metricsInterval: 0 })
    onCleanup(() => daemon.close())
    const path = daemon.paths.dump
    writeDump(path, dumpApps(1))
    writeDump(path, dumpApps(2))
    const goodBackup = readFileSync(`${path}.bak`, 'utf8')
    const torn = readFileSync(path, 'utf8').slice(0, 5000)
    writeFileSync(path, torn)

    const error = await daemon.resurrect().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(DumpError)
    expect(error).toMatchObject({ code: 'TEND_ERR_DUMP', path, backup: `${path}.bak` })
    expect((error as Error).message).toContain('is damaged: not valid JSON')
    expect(daemon.supervisor.list()).toEqual([])

    const client = await connect({ socketPath: daemon.paths.socket })
    onCleanup(() => client.close())
    const remote = await client.call('resurrect', []).catch((caught: unknown) => caught)
    expect(remote).toBeInstanceOf(DumpError)
    expect(remote).toMatchObject({ code: 'TEND_ERR_DUMP', path, backup: `${path}.bak` })
    // With nothing running, save must read the old dump: it refuses with the same error and writes nothing.
    expect(() => daemon.save()).toThrow(DumpError)
    expect(readFileSync(path, 'utf8')).toBe(torn)
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(goodBackup)

    writeFileSync(path, '{"version": "0.1.0"}')
    expect(() => readDump(path)).toThrow(/no "apps" array/)
    // A save over a damaged dump replaces it but keeps the last good .bak.
    writeDump(path, dumpApps(3))
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(goodBackup)
    expect(dumpNumber(path)).toBe(3)
  })

  it('makes `tend resurrect` exit non-zero with the error code, the file and its .bak named', async () => {
    const tend = tendHome()
    const path = join(tend.home, 'dump.json')
    writeDump(path, dumpApps(1))
    writeDump(path, dumpApps(2))
    writeFileSync(path, '{"apps": [')
    const result = await tend.run(['resurrect'])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('TEND_ERR_DUMP')
    expect(result.stderr).toContain(`${path} is damaged`)
    expect(result.stderr).toContain(`${path}.bak`)
    expect(dumpNumber(`${path}.bak`)).toBe(1)
    expect(await tend.json(['list'])).toEqual([])
  })
})
