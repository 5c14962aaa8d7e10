/** Shared helpers for process tests: fixtures, teardown that proves nothing survived, event waits. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, expect } from 'vitest'
import { Supervisor, type SupervisorEvents, type SupervisorOptions } from '../src/index.js'

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))

export function fixture(name: string): string {
  return join(fixturesDir, name)
}

import { isAlive } from '../src/runners/process-group.js'

export { isAlive }

/** Polls `condition` until it holds (or fails after `timeout`). For conditions no event announces. */
export async function until(condition: () => boolean, { timeout = 10_000, message = 'condition' } = {}): Promise<void> {
  const deadline = Date.now() + timeout
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeout} ms waiting for ${message}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  const errors: unknown[] = []
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()!()
    } catch (error) {
      errors.push(error)
    }
  }
  if (errors.length > 0) throw errors[0]
})

export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn)
}

/** Pids that must be gone when the test ends (grandchildren, say). */
export function expectGoneAfterTest(pid: number): void {
  cleanups.unshift(async () => {
    await until(() => !isAlive(pid), { timeout: 5_000, message: `pid ${pid} to be gone after the test` })
  })
}

/**
 * A Supervisor closed after the test, with a check that every process it
 * ever spawned is gone.
 */
export function supervisor(options: SupervisorOptions = {}): Supervisor {
  const sup = new Supervisor({ metricsInterval: 0, ...options })
  const pids = new Set<number>()
  sup.on('process:spawn', (event) => {
    if (event.process.pid !== null) pids.add(event.process.pid)
  })
  onCleanup(async () => {
    await sup.close()
    expect(sup.list().filter((info) => info.pid !== null)).toEqual([])
    await until(() => [...pids].every((pid) => !isAlive(pid)), { timeout: 5_000, message: 'every child to be gone after close()' })
  })
  return sup
}

export function tempDir(prefix = 'tend-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  onCleanup(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** The next event of this name that matches, within `timeout` ms. */
export function nextEvent<E extends keyof SupervisorEvents>(
  sup: Supervisor,
  event: E,
  predicate: (payload: Parameters<SupervisorEvents[E]>[0]) => boolean = () => true,
  timeout = 20_000,
): Promise<Parameters<SupervisorEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const listener = ((payload: Parameters<SupervisorEvents[E]>[0]) => {
      if (!predicate(payload)) return
      clearTimeout(timer)
      sup.off(event, listener)
      resolve(payload)
    }) as SupervisorEvents[E]
    const timer = setTimeout(() => {
      sup.off(event, listener)
      reject(new Error(`Timed out after ${timeout} ms waiting for ${event}`))
    }, timeout)
    sup.on(event, listener)
  })
}

/** Records every event (name and payload) in order. */
export function recordEvents(sup: Supervisor): { name: string; payload: Record<string, unknown> }[] {
  const events: { name: string; payload: Record<string, unknown> }[] = []
  sup.bus.onAny((name: string | string[], payload: unknown) => {
    events.push({ name: String(name), payload: payload as Record<string, unknown> })
  })
  return events
}

/** The first output line matching `pattern` (waits for it). */
export async function waitForLine(sup: Supervisor, target: number | string, pattern: RegExp, timeout = 20_000): Promise<RegExpExecArray> {
  let match: RegExpExecArray | null = null
  await until(
    () => {
      for (const line of sup.logs(target, { lines: 1000 })) {
        match = pattern.exec(line.line)
        if (match) return true
      }
      return false
    },
    { timeout, message: `a line matching ${pattern}` },
  )
  return match!
}

/** Collects a child's output (a stdout or stderr stream) as lines, as they come. */
export function outputLines(stream: NodeJS.ReadableStream): string[] {
  const collected: string[] = []
  let buffer = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    buffer += chunk
    const parts = buffer.split('\n')
    buffer = parts.pop()!
    collected.push(...parts)
  })
  return collected
}
