/** The `listen` option: its forms, its errors, and a privileged port. */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { normalizeSpec } from '../../src/config/normalize.js'
import { InvalidSpecError } from '../../src/index.js'
import { loadEcosystem } from '../../src/ecosystem/load.js'
import { fixture, supervisor, tempDir } from '../helpers.js'

const context = { env: process.env, baseCwd: process.cwd() }
const script = fixture('held-http.cjs')
const listenOf = (listen: unknown) => normalizeSpec({ script, listen }, context).listen

describe('listen in the spec', () => {
  it.each([
    [3000, [{ host: null, port: 3000, name: null, backlog: 511 }]],
    ['3000', [{ host: null, port: 3000, name: null, backlog: 511 }]],
    ['127.0.0.1:3000', [{ host: '127.0.0.1', port: 3000, name: null, backlog: 511 }]],
    ['[::1]:3000', [{ host: '::1', port: 3000, name: null, backlog: 511 }]],
    ['localhost:0', [{ host: '127.0.0.1', port: 0, name: null, backlog: 511 }]],
    [{ port: 80, host: '0.0.0.0', name: 'web', backlog: 1024 }, [{ host: '0.0.0.0', port: 80, name: 'web', backlog: 1024 }]],
    [
      [8080, { port: 8081, name: 'admin' }],
      [
        { host: null, port: 8080, name: null, backlog: 511 },
        { host: null, port: 8081, name: 'admin', backlog: 511 },
      ],
    ],
    [undefined, []],
  ])('reads %j', (input, expected) => {
    expect(listenOf(input)).toEqual(expected)
  })

  it.each([
    [70000, /listen.*0 to 65535/],
    [-1, /listen.*0 to 65535/],
    ['example.com:80', /IP address/],
    ['127.0.0.1', /port/],
    [{ host: '127.0.0.1' }, /listen\.port/],
    [{ port: 80, name: 'a:b' }, /listen\.name.*colon/],
    [{ port: 80, backlog: 0 }, /listen\.backlog/],
    [{ port: 80, hots: 'x' }, /listen\.hots/],
    [[3000, 3000], /listen\[1\].*each address once/],
    [
      [
        { port: 1, name: 'a' },
        { port: 2, name: 'a' },
      ],
      /listen\[1\]\.name/,
    ],
    [true, /listen/],
  ])('rejects %j naming the option', (input, message) => {
    expect(() => listenOf(input)).toThrow(InvalidSpecError)
    expect(() => listenOf(input)).toThrow(message)
  })

  it('is the key listen in an ecosystem file too', async () => {
    const file = join(tempDir(), 'ecosystem.config.json')
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'web', script, listen: ['127.0.0.1:8080', { port: 8081, name: 'admin' }] }] }))
    const { apps, warnings } = await loadEcosystem(file, {})
    expect(warnings).toEqual([])
    expect(normalizeSpec(apps[0], context).listen.map((socket) => socket.port)).toEqual([8080, 8081])
  })

  it('refuses cluster mode and incrementVar PORT with the reason', () => {
    expect(() => normalizeSpec({ script, listen: 3000, mode: 'cluster' }, context)).toThrow(/fork mode/)
    expect(() => normalizeSpec({ script, listen: 3000, incrementVar: 'PORT', env: { PORT: 1 } }, context)).toThrow(/incrementVar/)
  })
})

const unprivilegedStart = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'))
  } catch {
    return 1024
  }
})()

describe('a privileged port', () => {
  // Some containers let anyone bind any port (ip_unprivileged_port_start = 0): then there is nothing to refuse.
  it.skipIf(unprivilegedStart <= 81)(
    'is TEND_ERR_LISTEN with reason privileged for a user without the right',
    async () => {
      if (process.getuid?.() === 0) {
        // run a Supervisor as nobody
        const out = execFileSync(process.execPath, ['--import', 'tsx', fixture('start-privileged.mts'), '81'], {
          uid: 65534,
          gid: 65534,
          env: { ...process.env, HOME: '/tmp' },
          encoding: 'utf8',
          timeout: 60_000,
        })
        expect(JSON.parse(out.trim().split('\n').at(-1)!)).toMatchObject({ code: 'TEND_ERR_LISTEN', reason: 'privileged', listed: 0 })
      } else {
        const sup = supervisor()
        await expect(sup.start({ name: 'web', script, listen: '127.0.0.1:81' })).rejects.toMatchObject({ reason: 'privileged' })
      }
    },
    90_000,
  )
})
