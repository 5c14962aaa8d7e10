import { describe, expect, it } from 'vitest'
import { canHold, canTransition, isRunning, type OperationKind } from '../../src/core/status.js'
import type { Status } from '../../src/index.js'

const statuses: Status[] = ['stopped', 'launching', 'online', 'stopping', 'waiting-restart', 'errored']
const operations: OperationKind[] = ['none', 'launch', 'stop', 'replace']

describe('the status table', () => {
  // every pair, so a change to the table shows here as a diff
  const allowed: Record<Status, Status[]> = {
    stopped: ['launching'],
    launching: ['online', 'stopping', 'waiting-restart', 'errored', 'stopped'],
    online: ['online', 'stopping', 'waiting-restart', 'errored', 'stopped'],
    stopping: ['stopped', 'errored', 'launching'],
    'waiting-restart': ['launching', 'stopped'],
    errored: ['launching', 'stopped'],
  }
  it.each(statuses)('from %s', (from) => {
    expect(statuses.filter((to) => canTransition(from, to))).toEqual(statuses.filter((to) => allowed[from].includes(to)))
  })

  it('never leaves stopped except by a launch, and only stopping and the exit path lead to stopped', () => {
    expect(statuses.filter((to) => canTransition('stopped', to))).toEqual(['launching'])
    expect(statuses.filter((from) => canTransition(from, 'stopped'))).toEqual([
      'launching',
      'online',
      'stopping',
      'waiting-restart',
      'errored',
    ])
  })
})

describe('the operation table', () => {
  const holds: Record<Status, OperationKind[]> = {
    stopped: ['none', 'replace'],
    launching: ['launch'],
    online: ['none', 'replace'],
    stopping: ['stop'],
    'waiting-restart': ['none', 'replace'],
    errored: ['none', 'replace'],
  }
  it.each(statuses)('%s', (status) => {
    expect(operations.filter((operation) => canHold(status, operation))).toEqual(holds[status])
  })

  it('pairs launching with a launch and stopping with a stop, and nothing else with either', () => {
    expect(statuses.filter((status) => canHold(status, 'launch'))).toEqual(['launching'])
    expect(statuses.filter((status) => canHold(status, 'stop'))).toEqual(['stopping'])
  })

  it('counts a process as running while it has or is getting an OS process', () => {
    expect(statuses.filter(isRunning)).toEqual(['launching', 'online', 'stopping'])
  })
})
