import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DaemonError, DumpError, RpcError, RpcTimeoutError, SocketError } from '../../../src/rpc.js'
import { VERSION } from '../../../src/version.js'

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')

describe('tend/rpc errors', () => {
  it.each([
    new RpcError(-32601, 'x'),
    new RpcTimeoutError('list', 10),
    new DaemonError('/tmp/h', 'x'),
    new DumpError('/tmp/h/dump.json', 'x'),
    new SocketError('/tmp/h/rpc.sock', 'x'),
  ])('$name has a row in docs/errors.md with its code', (error) => {
    const row = doc.split('\n').find((line) => line.includes(`\`${error.name}\``))
    expect(row).toContain(`\`${error.code}\``)
  })

  it('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
  })
})
