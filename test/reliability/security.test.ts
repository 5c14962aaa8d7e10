import { spawn } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { connect, serve, type SupervisorClient } from '../../src/rpc.js'
import { shortTempDir } from '../adapters/rpc/rpc-helpers.js'
import { tendHome } from '../adapters/cli/cli-helpers.js'
import { fixture, onCleanup, supervisor, until } from '../helpers.js'

const NOBODY = 65534
const SECRET = 's3cr3t-value-0f-the-test'

/** Tries to connect to a Unix socket as another user; resolves with 'connected' or the error code. */
function connectAs(uid: number, socketPath: string): Promise<string> {
  const probe = `require('node:net').createConnection(${JSON.stringify(socketPath)})
    .on('connect', function () { process.stdout.write('connected'); this.destroy() })
    .on('error', (error) => process.stdout.write(String(error.code)))`
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', probe], { uid, gid: uid, cwd: '/', stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
    child.once('error', reject)
    child.once('close', () => resolve(out))
  })
}

async function client(socketPath: string): Promise<SupervisorClient> {
  const c = await connect({ socketPath })
  onCleanup(() => c.close())
  return c
}

const mode = (path: string): number => statSync(path).mode & 0o777

// A real daemon, launched by the CLI, in a fresh TEND_HOME.
describe('security of the daemon', { timeout: 60_000 }, () => {
  it('keeps TEND_HOME 0700 and the socket 0600, so another user cannot connect', async () => {
    const tend = tendHome()
    expect((await tend.run(['ping'])).code).toBe(0)
    const socket = join(tend.home, 'rpc.sock')
    expect(mode(tend.home)).toBe(0o700)
    expect(mode(socket)).toBe(0o600)
    expect(statSync(socket).isSocket()).toBe(true)
    expect(mode(join(tend.home, 'tend.pid')) & 0o077).toBe(0)
    expect(mode(join(tend.home, 'daemon.log')) & 0o077).toBe(0)
    expect(mode(join(tend.home, 'logs'))).toBe(0o700) // the apps' log files are reachable only through it
    if (process.getuid?.() !== 0) throw new Error('this test connects as uid 65534 and must run as root')

    // The directory alone stops another user…
    expect(await connectAs(NOBODY, socket)).toBe('EACCES')
    // …and so does the socket's mode alone, with the directory opened for traversal.
    chmodSync(tend.home, 0o711)
    try {
      expect(await connectAs(NOBODY, socket)).toBe('EACCES')
      // Control: the probe does connect when the modes allow it, so EACCES above is the modes' doing.
      chmodSync(socket, 0o666)
      expect(await connectAs(NOBODY, socket)).toBe('connected')
    } finally {
      chmodSync(socket, 0o600)
      chmodSync(tend.home, 0o700)
    }
    // The owner still connects.
    const owner = await client(socket)
    expect(await owner.list()).toEqual([])
  })

  it('redacts secret-looking env values over RPC (list, describe, events) while dump.json keeps them, owner-only', async () => {
    const tend = tendHome()
    expect((await tend.run(['ping'])).code).toBe(0)
    const rpc = await client(join(tend.home, 'rpc.sock'))
    const events: unknown[] = []
    await rpc.on('process:*', (payload, name) => events.push({ name, payload }))
    const env = {
      API_TOKEN: SECRET,
      DB_PASSWORD: SECRET,
      STRIPE_API_KEY: SECRET,
      DATABASE_URL: `postgres://app:${SECRET}@db/app`,
      PLAIN: 'visible',
    }
    const started = await rpc.start({ name: 'app', script: fixture('print-env.cjs'), args: Object.keys(env), env })
    tend.track(...started.map((info) => info.pid))
    // The app itself gets the real values.
    await until(() => readFileSync(join(tend.home, 'logs', 'app-0-out.log'), 'utf8').includes(`API_TOKEN=${SECRET}`), {
      timeout: 10_000,
      message: 'the app to print its real environment',
    })
    await rpc.restart('app')
    await until(() => events.some((event) => (event as { name: string }).name === 'process:online'), { message: 'a process:online event' })

    const shown = { started, list: await rpc.list(), describe: await rpc.describe('app'), events }
    const text = JSON.stringify(shown)
    expect(text).not.toContain(SECRET)
    expect(shown.list[0]).not.toHaveProperty('spec')
    expect(shown.describe[0]!.spec.env).toMatchObject({
      API_TOKEN: '[redacted]',
      DB_PASSWORD: '[redacted]',
      STRIPE_API_KEY: '[redacted]',
      DATABASE_URL: 'postgres://app:[redacted]@db/app',
      PLAIN: 'visible',
    })
    expect(events.length).toBeGreaterThan(2)
    // The CLI shows the same redacted view.
    expect((await tend.run(['list', '--json'])).stdout).not.toContain(SECRET)
    expect((await tend.run(['describe', 'app', '--json'])).stdout).not.toContain(SECRET)

    expect((await tend.run(['save'])).code).toBe(0)
    const dump = join(tend.home, 'dump.json')
    expect(mode(dump)).toBe(0o600)
    expect((JSON.parse(readFileSync(dump, 'utf8')) as { apps: { env: unknown }[] }).apps[0]!.env).toEqual(env)
  })
})

describe('serve() in a directory others can enter', { timeout: 30_000 }, () => {
  it('binds privately and links the socket into place 0600, leaving the directory as it was and nothing behind', async () => {
    if (process.getuid?.() !== 0) throw new Error('this test connects as uid 65534 and must run as root')
    const shared = shortTempDir()
    chmodSync(shared, 0o755)
    const socketPath = join(shared, 'rpc.sock')
    const server = await serve(supervisor(), { socketPath })
    onCleanup(() => server.close())
    expect(mode(shared)).toBe(0o755)
    expect(mode(socketPath)).toBe(0o600)
    expect(readdirSync(shared)).toEqual(['rpc.sock'])
    expect(await connectAs(NOBODY, socketPath)).toBe('EACCES')
    const owner = await client(socketPath)
    expect(await owner.list()).toEqual([])
    // A second server refuses the path a live one answers on.
    await expect(serve(supervisor(), { socketPath })).rejects.toMatchObject({ code: 'TEND_ERR_SOCKET' })
    await server.close()
    expect(readdirSync(shared)).toEqual([])
  })
})

describe('no shell', { timeout: 60_000 }, () => {
  it('passes arguments with shell metacharacters to the app literally and runs none of them', async () => {
    const tend = tendHome()
    const cwd = shortTempDir()
    const args = [
      '$(touch dollar)',
      '`touch backtick`',
      '; touch semicolon',
      '&& touch and',
      '| touch pipe',
      '*',
      '> redirect',
      '\'quoted\' "twice"',
      '$HOME',
      'a b\nc',
    ]
    expect((await tend.run(['ping'])).code).toBe(0)
    const rpc = await client(join(tend.home, 'rpc.sock'))
    const started = await rpc.start({ name: 'literal', script: fixture('print-args.cjs'), args, cwd })
    tend.track(...started.map((info) => info.pid))
    let printed: unknown = null
    await until(
      () => {
        const line = readFileSync(join(tend.home, 'logs', 'literal-0-out.log'), 'utf8')
          .split('\n')
          .find((l) => l.includes('args ['))
        if (line) printed = JSON.parse(line.slice(line.indexOf('args ') + 5))
        return printed !== null
      },
      { timeout: 10_000, message: 'the app to print its args' },
    )
    expect(printed).toEqual(args)
    expect(readdirSync(cwd)).toEqual([])
    for (const name of ['dollar', 'backtick', 'semicolon', 'and', 'pipe', 'redirect']) expect(existsSync(join(tend.home, name))).toBe(false)
  })
})
