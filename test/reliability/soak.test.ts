import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const soak = fileURLToPath(new URL('../../bench/soak.ts', import.meta.url))

describe('soak (short form; `npm run soak` runs 1,000 restarts and 100 reloads)', () => {
  it('returns the host to its starting heap and file descriptors after many restarts and reloads', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', soak, '--restarts', '200', '--reloads', '10', '--json'],
      {
        timeout: 240_000,
      },
    )
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      heapGrowthMiB: number
      fdsBefore: number
      fdsAfter: number
      warnings: string[]
    }
    expect(result.fdsAfter).toBe(result.fdsBefore)
    expect(result.heapGrowthMiB).toBeLessThan(2)
    expect(result.warnings).toEqual([])
  }, 300_000)
})
