import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { expectGoneAfterTest, fixturesDir, isAlive, onCleanup, until } from '../helpers.js'
import { freePort } from '../http-load.js'

describe('no orphans', () => {
  it('SIGKILL of an embedding host takes its fork and cluster children and grandchildren with it', async () => {
    const port = await freePort()
    const host = spawn(process.execPath, ['--import', 'tsx', `${fixturesDir}/host.ts`, fixturesDir, String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    onCleanup(() => {
      if (host.exitCode === null && host.signalCode === null) host.kill('SIGKILL')
    })
    const line = await new Promise<string>((resolve, reject) => {
      let out = ''
      host.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk
        if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')))
      })
      host.once('exit', (code) => reject(new Error(`host exited early with ${code}`)))
    })
    const { children, grandchild } = JSON.parse(line) as { children: number[]; grandchild: number }
    const all = [...children, grandchild]
    for (const pid of all) expectGoneAfterTest(pid)
    expect(children).toHaveLength(5)
    expect(all.every(isAlive)).toBe(true)

    host.kill('SIGKILL')
    // The children notice the closed IPC channel; a stubborn one is SIGKILLed after its killTimeout (500 ms).
    await until(() => all.every((pid) => !isAlive(pid)), { timeout: 10_000, message: 'every child and grandchild to be gone' })
  })
})
