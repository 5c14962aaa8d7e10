import { readdirSync, readlinkSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, Supervisor } from '../../src/index.js'
import { MetricsSampler } from '../../src/metrics/sampler.js'
import { fixture, nextEvent, onCleanup, supervisor, until } from '../helpers.js'

describe('metrics', () => {
  it('samples every running process in one event and fills ProcessInfo.cpu and .memory', async () => {
    const sup = supervisor({ metricsInterval: 100 })
    await sup.start([
      { name: 'a', script: fixture('long-running.cjs'), instances: 2 },
      { name: 'b', script: fixture('memory-hog.cjs'), args: ['60'] },
    ])
    const ids = sup.list().map((info) => info.id)
    const hogId = sup.describe('b')[0]!.id
    // The first samples may come before every child is up and the hog holds its memory; wait for one that shows both.
    const sample = await nextEvent(
      sup,
      'metrics',
      (event) => event.processes.length === 3 && event.processes.some((entry) => entry.id === hogId && entry.memory > 60 * 1024 * 1024),
    )
    expect(sample.processes.map((entry) => entry.id).sort()).toEqual(ids.sort())
    for (const entry of sample.processes) {
      expect(entry.pid).toBe(sup.describe(entry.id)[0]!.pid)
      expect(entry.memory).toBeGreaterThan(1024 * 1024)
      expect(entry.cpu).toBeGreaterThanOrEqual(0)
    }
    const hog = sample.processes.find((entry) => entry.id === hogId)!
    expect(hog.memory).toBeGreaterThan(60 * 1024 * 1024)
    expect(sup.describe('b')[0]!.memory).toBeGreaterThan(60 * 1024 * 1024)

    // A stopped process is no longer sampled and shows zeros.
    await sup.stop('a')
    const after = await nextEvent(sup, 'metrics')
    expect(after.processes.map((entry) => entry.id)).toEqual([sup.describe('b')[0]!.id])
    expect(sup.describe('a').map((info) => [info.cpu, info.memory])).toEqual([
      [0, 0],
      [0, 0],
    ])
  })

  it('metricsInterval 0 turns sampling off', async () => {
    const sup = supervisor({ metricsInterval: 0 })
    let samples = 0
    sup.on('metrics', () => samples++)
    const [info] = await sup.start({ name: 'quiet', script: fixture('long-running.cjs') })
    // A second supervisor sampling fast shows time passing; the first must stay silent meanwhile.
    const witness = supervisor({ metricsInterval: 50 })
    await witness.start({ name: 'witness', script: fixture('long-running.cjs') })
    let witnessed = 0
    witness.on('metrics', () => witnessed++)
    await until(() => witnessed >= 5, { message: 'five samples of the witness' })
    expect(samples).toBe(0)
    expect(sup.describe(info!.id)[0]).toMatchObject({ cpu: 0, memory: 0 })
  })

  it('rejects a bad metricsInterval', () => {
    expect(() => new Supervisor({ metricsInterval: -1 })).toThrow(InvalidArgumentError)
    expect(() => new Supervisor({ metricsInterval: 1.5 })).toThrow(/metricsInterval/)
  })

  it('a sampler with nothing to sample resolves null, and one process is sampled too', async () => {
    const nothing = new MetricsSampler({ interval: 0, processes: () => [], onSample: () => {} })
    expect(await nothing.sample()).toBeNull()
    const self = { id: 1, pid: process.pid, cpu: 0, memory: 0 }
    const one = new MetricsSampler({ interval: 0, processes: () => [self], onSample: () => {} })
    const sample = await one.sample()
    expect(sample?.processes).toEqual([{ id: 1, pid: process.pid, cpu: self.cpu, memory: self.memory }])
    expect(self.memory).toBeGreaterThan(0)
  })

  it('leaves out a pid that is gone instead of failing the whole sample', async () => {
    const sup = supervisor()
    const [info] = await sup.start({ name: 'gone', script: fixture('exit-with.cjs'), args: ['0'], autorestart: false })
    await sup.waitFor('gone', 'stopped')
    const dead = { id: 1, pid: info!.pid!, cpu: 0, memory: 0 }
    const alive = { id: 2, pid: process.pid, cpu: 0, memory: 0 }
    const sampler = new MetricsSampler({ interval: 0, processes: () => [dead, alive], onSample: () => {} })
    const sample = await sampler.sample()
    expect(sample?.processes.map((entry) => entry.id)).toEqual([2])
    expect(dead.memory).toBe(0)
  })

  it('close() stops the timer: no sample after it', async () => {
    const sup = new Supervisor({ metricsInterval: 20 })
    onCleanup(() => sup.close())
    let samples = 0
    sup.on('metrics', () => samples++)
    await sup.start({ name: 'x', script: fixture('long-running.cjs') })
    await until(() => samples > 0, { message: 'a first sample' })
    await sup.close()
    const witness = supervisor({ metricsInterval: 20 })
    let witnessed = 0
    witness.on('metrics', () => witnessed++)
    const before = samples
    await witness.start({ name: 'witness', script: fixture('long-running.cjs') })
    await until(() => witnessed >= 5, { message: 'five samples of the witness' })
    expect(samples).toBe(before)
  })
})

describe.runIf(process.platform === 'linux')('metrics file descriptors (Linux: read from /proc in one pass)', () => {
  /** Open descriptors of this process on /proc/<pid>/stat. */
  function statFds(pid: number): number {
    return readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === `/proc/${pid}/stat`
      } catch {
        return false
      }
    }).length
  }

  it('keeps no descriptor open between samples', async () => {
    const sup = supervisor({ metricsInterval: 100 })
    const [info] = await sup.start({ name: 'sampled', script: fixture('long-running.cjs'), instances: 3 })
    const pid = info!.pid!
    await nextEvent(sup, 'metrics', (event) => event.processes.some((entry) => entry.pid === pid))
    await nextEvent(sup, 'metrics', (event) => event.processes.some((entry) => entry.pid === pid))
    for (const process of sup.list()) expect(statFds(process.pid!)).toBe(0)
  })
})
