import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InvalidSpecError } from '../../src/index.js'
import { loadEcosystem, looksLikeEcosystem } from '../../src/ecosystem/load.js'
import { normalizeSpec } from '../../src/config/normalize.js'
import { tempDir } from '../helpers.js'

function write(dir: string, name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('ecosystem files', () => {
  it.each([
    ['ecosystem.config.cjs', `module.exports = { apps: [{ name: 'a', script: 'a.js', exec_mode: 'cluster_mode', instances: 2 }] }`],
    ['ecosystem.config.mjs', `export default { apps: [{ name: 'a', script: 'a.js', exec_mode: 'cluster_mode', instances: 2 }] }`],
    ['process.json', `{ "apps": [{ "name": "a", "script": "a.js", "exec_mode": "cluster_mode", "instances": 2 }] }`],
    [
      'process.json5',
      `{ apps: [{ name: 'a', script: 'a.js', exec_mode: 'cluster_mode', instances: 2, }], // trailing comma and comment\n }`,
    ],
    ['process.yml', `apps:\n  - name: a\n    script: a.js\n    exec_mode: cluster_mode\n    instances: 2\n`],
    ['ecosystem.yaml', `apps:\n  - name: a\n    script: a.js\n    exec_mode: cluster\n    instances: 2\n`],
  ])('reads %s', async (name, text) => {
    const dir = tempDir()
    const path = write(dir, name, text)
    expect(looksLikeEcosystem(path)).toBe(true)
    const { apps } = await loadEcosystem(path)
    expect(apps).toEqual([{ name: 'a', script: 'a.js', mode: 'cluster', instances: 2, cwd: dir }])
  })

  it('maps PM2 keys and aliases to tend spec keys and resolves cwd against the file', async () => {
    const dir = tempDir()
    const path = write(
      dir,
      'ecosystem.config.js',
      `module.exports = { apps: [{ name: 'api', exec: 'server.js', cwd: 'sub', node_args: '--inspect', interpreter_args: '--trace-warnings',
        kill_timeout: 5000, wait_ready: true, listen_timeout: 8000, max_restarts: 5, min_uptime: '5s', restart_delay: 100,
        stop_exit_codes: [0], instance_var: 'INSTANCE', increment_var: 'PORT', shutdown_with_message: true, autorestart: true,
        env: { PORT: 3000, DEBUG: false } }] }`,
    )
    const { apps, warnings } = await loadEcosystem(path)
    expect(apps[0]).toEqual({
      name: 'api',
      script: 'server.js',
      cwd: join(dir, 'sub'),
      interpreterArgs: '--trace-warnings',
      killTimeout: 5000,
      waitReady: true,
      listenTimeout: 8000,
      maxRestarts: 5,
      minUptime: '5s',
      restartDelay: 100,
      stopExitCodes: [0],
      instanceVar: 'INSTANCE',
      incrementVar: 'PORT',
      shutdownWithMessage: true,
      autorestart: true,
      env: { PORT: 3000, DEBUG: false },
    })
    expect(warnings).toEqual([])
  })

  it('merges env_<name> over env for --env <name>, and only then', async () => {
    const dir = tempDir()
    const path = write(
      dir,
      'process.json',
      `{ apps: [{ name: 'a', script: 'a.js', env: { A: 1, B: 'dev' }, env_production: { B: 'prod', C: true } }] }`,
    )
    expect((await loadEcosystem(path)).apps[0]!.env).toEqual({ A: 1, B: 'dev' })
    expect((await loadEcosystem(path, { env: 'production' })).apps[0]!.env).toEqual({ A: 1, B: 'prod', C: true })
    expect((await loadEcosystem(path, { env: 'staging' })).warnings).toEqual(['no app has an "env_staging" block'])
  })

  it('rejects a key neither tend nor PM2 knows, with a suggestion in the spelling used', async () => {
    const dir = tempDir()
    const snake = write(dir, 'a.json', `{ apps: [{ name: 'a', script: 'a.js', kill_timout: 1 }] }`)
    await expect(loadEcosystem(snake)).rejects.toMatchObject({
      code: 'TEND_ERR_INVALID_SPEC',
      option: 'kill_timout',
      message: 'Unknown option "kill_timout" in app "a"; did you mean "kill_timeout"?',
    })
    const camel = write(dir, 'b.json', `{ apps: [{ name: 'b', script: 'a.js', killTimout: 1 }] }`)
    await expect(loadEcosystem(camel)).rejects.toThrow('did you mean "killTimeout"?')
  })

  it('reports PM2 keys tend ignores, and top-level keys other than apps, as warnings', async () => {
    const dir = tempDir()
    const path = write(
      dir,
      'process.yml',
      `apps:\n  - name: a\n    script: a.js\n    pid_file: /tmp/x.pid\n    vizion: false\ndeploy:\n  production: {}\n`,
    )
    const { apps, warnings } = await loadEcosystem(path)
    expect(apps[0]).toEqual({ name: 'a', script: 'a.js', cwd: dir })
    expect(warnings).toEqual([
      '"deploy" is ignored (tend has no deploy command)',
      'app "a": PM2 option "pid_file" is ignored (tend keeps pids in memory)',
      'app "a": PM2 option "vizion" is ignored (no version-control metadata in tend)',
    ])
  })

  it('filters with --only and names an app the file lacks', async () => {
    const dir = tempDir()
    const path = write(dir, 'process.json', `{ apps: [{ name: 'a', script: 'a.js' }, { name: 'b', script: 'b.js' }] }`)
    expect((await loadEcosystem(path, { only: ['b'] })).apps.map((app) => app.name)).toEqual(['b'])
    await expect(loadEcosystem(path, { only: ['c'] })).rejects.toBeInstanceOf(InvalidSpecError)
  })

  it('tells ecosystem files from scripts without running the script', () => {
    const dir = tempDir()
    expect(looksLikeEcosystem(write(dir, 'server.js', `require('http').createServer().listen(3000)\n`))).toBe(false)
    expect(looksLikeEcosystem(write(dir, 'apps.js', `module.exports = { apps: [] }\n`))).toBe(true)
    // a data file is always read as apps (and refused when it declares none), never run
    expect(looksLikeEcosystem(write(dir, 'data.json', `{ "name": "x" }\n`))).toBe(true)
    expect(looksLikeEcosystem(write(dir, 'run.sh', `echo apps\n`))).toBe(false)
  })

  it.each([
    ['app.json', `{ "name": "one", "script": "a.js" }`, ['one']],
    ['apps.json', `[{ "name": "one", "script": "a.js" }, { "name": "two", "script": "b.js" }]`, ['one', 'two']],
    ['apps.yml', `- name: one\n  script: a.js\n- name: two\n  script: b.js\n`, ['one', 'two']],
  ])('reads %s without the word apps: one app object or a bare list, as PM2 does', async (name, text, names) => {
    const dir = tempDir()
    const { apps } = await loadEcosystem(write(dir, name, text))
    expect(apps.map((app) => app.name)).toEqual(names)
  })

  it.each([
    ['data.json', `{ "name": "x" }`],
    ['list.yaml', `just a string\n`],
    ['null.json', `null`],
  ])('refuses %s, which declares no app, with a clear error', async (name, text) => {
    const dir = tempDir()
    await expect(loadEcosystem(write(dir, name, text))).rejects.toThrow(
      /declares no app: expected an "apps" list, a list of apps, or one app object/,
    )
  })

  it('suggests only close matches: max is no typo of pmx', async () => {
    const dir = tempDir()
    const error = await loadEcosystem(write(dir, 'process.json', `{ apps: [{ name: 'a', script: 'a.js', max: 2 }] }`)).catch(
      (e: Error) => e,
    )
    expect((error as Error).message).toMatch(/^Unknown option "max" in app "a"$/)
  })

  it('applies PM2 mode rule: instances on a node app means cluster unless exec_mode says fork', async () => {
    const dir = tempDir()
    const path = write(
      dir,
      'process.yml',
      [
        'apps:',
        '  - { name: a, script: a.js, instances: 4 }',
        '  - { name: b, script: b.js, instances: 1 }',
        '  - { name: c, script: c.js, instances: 2, exec_mode: fork }',
        '  - { name: d, script: d.sh, instances: 2 }',
        '  - { name: e, script: e.js }',
        '  - { name: f, script: f.py, interpreter: python3, instances: 2 }',
        '  - { name: g, script: bin/www, instances: 2 }',
      ].join('\n'),
    )
    const { apps } = await loadEcosystem(path)
    expect(apps.map((app) => [app.name, app.mode])).toEqual([
      ['a', 'cluster'],
      ['b', 'cluster'],
      ['c', 'fork'],
      ['d', undefined],
      ['e', undefined],
      ['f', undefined],
      ['g', 'cluster'],
    ])
  })
})

describe('PM2 apps through the normalize step', () => {
  it('a PM2 app using every mapped key normalizes to the tend spec PM2 users expect', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'server.js'), 'setInterval(() => {}, 1000)\n')
    const path = write(
      dir,
      'ecosystem.config.cjs',
      `module.exports = { apps: [{
        name: 'api', script: 'server.js', exec_mode: 'cluster_mode', instances: 2, node_args: '--max-old-space-size=256',
        max_memory_restart: '300M', cron_restart: '0 3 * * *', exp_backoff_restart_delay: 100, watch: ['src'], ignore_watch: ['tmp'],
        watch_delay: 500, out_file: 'out.log', error_file: 'err.log', merge_logs: true, log_date_format: 'YYYY-MM-DD', time: true,
        kill_timeout: 5000, wait_ready: true, listen_timeout: 8000, max_restarts: 5, min_uptime: '5s', stop_exit_codes: [0],
        env: { PORT: 3000 }, env_production: { NODE_ENV: 'production' },
      }] }`,
    )
    const { apps, warnings } = await loadEcosystem(path, { env: 'production' })
    expect(warnings).toEqual([])
    const spec = normalizeSpec(apps[0], { env: process.env, baseCwd: dir }) as unknown as Record<string, unknown>
    expect(spec).toMatchObject({
      name: 'api',
      mode: 'cluster',
      instances: 2,
      interpreterArgs: ['--max-old-space-size=256'],
      maxMemoryRestart: 300 * 1024 * 1024,
      cronRestart: '0 3 * * *',
      backoff: { initialDelay: 100 },
      killTimeout: 5000,
      waitReady: true,
      listenTimeout: 8000,
      maxRestarts: 5,
      minUptime: 5000,
      stopExitCodes: [0],
      mergeLogs: true,
      time: true,
      env: { PORT: '3000', NODE_ENV: 'production' },
    })
  })
})
