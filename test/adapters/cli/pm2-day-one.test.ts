/**
 * What a PM2 user types on day one, end to end against a real daemon: start
 * a script with PM2's flags and an ecosystem file, ls, show, env, logs
 * through a pipe, reload, scale, save, kill, resurrect, and logs after the
 * daemon restart, checking what each prints and its exit status.
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { freePort } from '../../../bench/lib.js'
import type { ProcessInfo } from '../../../src/index.js'
import { fixture, isAlive, until } from '../../helpers.js'
import { cliArgs, tendHome, type TendHome } from './cli-helpers.js'

/** `tend <args> | <reader>` in bash; resolves with what the reader printed and tend's own exit status. */
function piped(tend: TendHome, args: string[], reader: string): Promise<{ stdout: string; stderr: string; status: string }> {
  const command = [process.execPath, ...cliArgs(args)].map((word) => `'${word}'`).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `${command} | ${reader}; echo "tend status \${PIPESTATUS[0]}" >&2`], {
      cwd: tend.home,
      env: { ...process.env, TEND_HOME: tend.home },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`tend ${args.join(' ')} | ${reader} did not end: ${stderr}`))
    }, 60_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve({ stdout, stderr: stderr.replace(/tend status \d+\n$/, ''), status: /tend status (\d+)/.exec(stderr)?.[1] ?? '?' })
    })
  })
}

/** Polls an async condition (each try is a CLI run, so no extra delay) until it holds. */
async function eventually(condition: () => Promise<boolean>, message: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (!(await condition())) if (Date.now() > deadline) throw new Error(`Timed out waiting for ${message}`)
}

const rowsOf = (table: string, name: string): string[] => table.split('\n').filter((line) => new RegExp(`^\\d+\\s+${name}\\s`).test(line))

describe("a PM2 user's first day with tend", { timeout: 300_000 }, () => {
  it('start with flags and an ecosystem file → ls → show → env → logs | head → reload → scale → save → kill → resurrect → logs', async () => {
    const tend = tendHome()
    const port = String(await freePort())

    // pm2 start app.js --name api -i 2 --max-memory-restart 300M -k 3000 --time
    const api = await tend.run(
      ['start', fixture('http-server.cjs'), '--name', 'api', '-i', '2', '--max-memory-restart', '300M', '-k', '3000', '--time'],
      {
        env: { PORT: port },
      },
    )
    expect(api).toMatchObject({ code: 0, stderr: '' })
    expect(rowsOf(api.stdout, 'api')).toHaveLength(2)
    for (const row of rowsOf(api.stdout, 'api')) expect(row).toMatch(/\bcluster\s+\d+\s+\S+\s+0\s+online\b/)
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200)

    // pm2 start ecosystem.config.js
    const eco = join(tend.home, 'ecosystem.config.js')
    writeFileSync(
      eco,
      `module.exports = { apps: [
        { name: 'worker', script: ${JSON.stringify(fixture('long-running.cjs'))}, kill_timeout: 2000, max_restarts: 3 },
        { name: 'ticker', script: ${JSON.stringify(fixture('ticker.cjs'))} },
      ] }\n`,
    )
    const started = await tend.run(['start', eco])
    expect(started).toMatchObject({ code: 0, stderr: '' })
    expect(rowsOf(started.stdout, 'worker')).toHaveLength(1)

    // pm2 ls: PM2's columns, plain text in a pipe
    const ls = await tend.run(['ls'])
    expect(ls.code).toBe(0)
    expect(ls.stdout.split('\n')[0]).toMatch(/^id\s+name\s+namespace\s+mode\s+pid\s+uptime\s+↺\s+status\s+cpu\s+mem\s+watching$/)
    expect(ls.stdout).not.toContain('\u001b[')
    expect(rowsOf(ls.stdout, 'api')).toHaveLength(2)
    expect(rowsOf(ls.stdout, 'worker')[0]).toMatch(/\bfork\s+\d+\s+\S+\s+0\s+online\s+\S+\s+\S+\s+disabled$/)

    // pm2 show api: the facts, no environment dump
    const show = await tend.run(['show', 'api'])
    expect(show.code).toBe(0)
    expect(show.stdout).toMatch(/^api \(id 0, namespace default\)\n\s+status\s+online\n\s+pid\s+\d+/)
    expect(show.stdout).toMatch(/memory limit\s+300mb/)
    expect(show.stdout).toMatch(/stop\s+SIGINT, SIGKILL after 3 s/)
    expect(show.stdout).toMatch(/log out\s+\S+api-0-out\.log/)
    expect(show.stdout).not.toMatch(/^\s+PATH=/m)

    // pm2 env 0
    const env = await tend.run(['env', '0'])
    expect(env.code).toBe(0)
    expect(env.stdout.split('\n')).toEqual(expect.arrayContaining(['NODE_APP_INSTANCE=0', `PORT=${port}`]))

    // pm2 logs … | head -1, and a reader that is gone before the first line: status 0, no stack trace
    await eventually(async () => (await tend.run(['logs', 'ticker', '--lines', '3'])).stdout.split('\n').length > 3, 'ticks in the log')
    const head = await piped(tend, ['logs', 'ticker', '--lines', '50'], 'head -1')
    expect(head).toMatchObject({ status: '0', stderr: '' })
    expect(head.stdout).toMatch(/^\d+\|ticker \| tick \d+\n$/)
    expect(await piped(tend, ['logs', 'ticker', '--lines', '50'], 'true')).toEqual({ stdout: '', stderr: '', status: '0' })
    const followed = await piped(tend, ['logs', 'ticker', '--follow', '--lines', '1'], 'head -2')
    expect(followed).toMatchObject({ status: '0', stderr: '' })
    expect(followed.stdout.split('\n')).toHaveLength(3)

    // pm2 reload api, pm2 scale api 3
    const before = await tend.json<ProcessInfo[]>(['describe', 'api'])
    const reload = await tend.run(['reload', 'api'])
    expect(reload).toMatchObject({ code: 0, stderr: '' })
    const reloaded = await tend.json<ProcessInfo[]>(['describe', 'api'])
    for (const old of before) expect(reloaded.map((info) => info.pid)).not.toContain(old.pid)
    const scale = await tend.run(['scale', 'api', '3'])
    expect(scale.code).toBe(0)
    expect(rowsOf(scale.stdout, 'api')).toHaveLength(3)

    // pm2 save, pm2 kill, pm2 resurrect
    const worker = (await tend.json<ProcessInfo[]>(['describe', 'worker']))[0]!
    const save = await tend.run(['save'])
    expect(save).toMatchObject({ code: 0, stdout: `saved 3 app(s) to ${join(tend.home, 'dump.json')}\n` })
    const daemon = tend.daemonPid()!
    const kill = await tend.run(['kill'])
    expect(kill).toMatchObject({ code: 0, stdout: `daemon pid ${daemon} stopped\n` })
    await until(() => !isAlive(worker.pid!), { message: 'the worker to stop with the daemon' })
    const resurrect = await tend.run(['resurrect'])
    expect(resurrect.code).toBe(0)
    expect(rowsOf(resurrect.stdout, 'api')).toHaveLength(3)
    expect(tend.daemonPid()).not.toBe(daemon)
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200)

    // pm2 logs worker: the new daemon's memory has one line of the worker; the file has the run before the restart too
    const again = (await tend.json<ProcessInfo[]>(['describe', 'worker']))[0]!
    await eventually(async () => (await tend.run(['logs', 'worker'])).stdout.includes(`started ${again.pid} `), 'the new run in the log')
    const logs = await tend.run(['logs', 'worker', '--lines', '5'])
    expect(logs.code).toBe(0)
    expect(logs.stdout).toContain(`|worker | started ${worker.pid} instance=0\n`)
    expect(logs.stdout).toContain(`|worker | started ${again.pid} instance=0\n`)
  })
})
