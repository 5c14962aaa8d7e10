import { execFileSync } from 'node:child_process'
import { constants, openSync } from 'node:fs'
import { Socket } from 'node:net'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { LogManager } from '../../src/logs/log-manager.js'
import { normalizeSpec } from '../../src/config/normalize.js'
import { fixture, onCleanup, tempDir, until } from '../helpers.js'

describe('backpressure', () => {
  it('pauses the child pipe while the file is behind, instead of buffering, and loses nothing', async () => {
    // A FIFO nobody reads is a disk that does not keep up.
    const dir = tempDir()
    const fifo = join(dir, 'slow.log')
    execFileSync('mkfifo', [fifo])
    const readerFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
    const spec = normalizeSpec(
      { name: 'slow', script: fixture('long-running.cjs'), outFile: fifo, errorFile: false, rotate: false },
      { env: process.env, baseCwd: dir },
    )
    const process_ = { id: 0, instance: 0, spec }
    const manager = new LogManager<typeof process_>(undefined, () => {})
    await manager.attach([process_])
    onCleanup(() => manager.close())

    const pipe = new PassThrough() // stands for the child's stdout pipe
    manager.capture(process_, 'out', pipe)
    const line = Buffer.from(`${'x'.repeat(99)}\n`)
    const total = 100_000 // 10 MB, far more than any buffer on the way
    let written = 0
    let stalled = false
    const writing = (async () => {
      while (written < total) {
        if (pipe.write(line)) written++
        else {
          written++
          stalled = true
          await new Promise((resolve) => pipe.once('drain', resolve))
          stalled = false
        }
      }
      pipe.end()
    })()

    await until(() => stalled && pipe.isPaused(), { message: 'the pipe to be paused and the writer stalled' })
    // what sits in memory is bounded by the buffers' marks, not by what the writer has to say
    expect(written * line.length).toBeLessThan(1024 * 1024)

    const reader = new Socket({ fd: readerFd, readable: true, writable: false })
    let received = 0
    reader.on('data', (chunk: Buffer) => (received += chunk.length))
    await writing
    await manager.settle([0])
    await until(() => received === total * line.length, { timeout: 30_000, message: 'every byte through the FIFO' })
    reader.destroy()
  })
})
