// PM2 driven through its public programmatic API in a process of its own,
// so PM2's client (its sockets and reconnect timers) never lives in the
// benchmark's process. `node pm2-driver.cjs <PM2_HOME>`; PM2_HOME is a fresh
// temporary directory, so a user's ~/.pm2 and any PM2 already running are
// never touched. The IPC protocol is bench/ipc-contender.ts's; `close`
// runs pm2.killDaemon (every app deleted, the daemon gone), then exits.
const { readFileSync } = require('node:fs')
const { join } = require('node:path')

const home = process.argv[2]
process.env.PM2_HOME = home
process.env.PM2_PROGRAMMATIC = 'true' // no banners
process.env.PM2_SILENT = 'true'
const PM2 = require('pm2')
const pm2 = new PM2.custom({ pm2_home: home, daemon_mode: true })

const call = (fn) => new Promise((resolve, reject) => fn((error, result) => (error ? reject(error) : resolve(result))))

const methods = {
  start: (app) =>
    call((cb) =>
      pm2.start(
        {
          name: app.name,
          script: app.script,
          exec_mode: app.mode ?? 'fork',
          instances: app.instances ?? 1,
          ...(app.env ? { env: Object.fromEntries(Object.entries(app.env).map(([k, v]) => [k, String(v)])) } : {}),
          ...(app.incrementVar ? { increment_var: app.incrementVar } : {}),
          ...(app.binary ? { interpreter: 'none' } : {}),
          ...(app.args ? { args: app.args } : {}),
          ...(app.interpreter ? { interpreter: app.interpreter } : {}),
          ...(app.killTimeout ? { kill_timeout: app.killTimeout } : {}),
          // PM2 has no held sockets: app.listen is left out, and the app binds PORT itself.
          // PM2 writes each app's output to files under PM2_HOME by default; that is what its users get, so it stays on.
        },
        cb,
      ),
    ),
  restart: (name) => call((cb) => pm2.restart(name, cb)),
  reload: (name) => call((cb) => pm2.reload(name, cb)),
  scale: (name, n) => call((cb) => pm2.scale(name, n, cb)),
  delete: (name) => call((cb) => pm2.delete(name, cb)),
  list: async () =>
    (await call((cb) => pm2.list(cb))).map((d) => ({ name: d.name, pid: d.pid || null, online: d.pm2_env?.status === 'online' })),
  close: async () => {
    await call((cb) => pm2.killDaemon(cb))
    process.env.PM2_SILENT = 'true'
  },
}

process.on('message', async ({ id, method, args }) => {
  try {
    const result = await methods[method](...args)
    process.send({ id, ok: true, result: method === 'list' ? result : null }, () => {
      if (method === 'close') process.exit(0) // PM2's client keeps reconnect timers after its daemon is gone
    })
  } catch (error) {
    process.send({ id, ok: false, error: String(error && error.message ? error.message : error) })
  }
})
// the benchmark going away takes the daemon and its apps with it
process.on('disconnect', () => pm2.killDaemon(() => process.exit(0)))

pm2.connect(false, (error) => {
  if (error) return process.send({ ready: false, error: String(error) }, () => process.exit(1))
  process.send({ ready: true, hostPid: Number(readFileSync(join(home, 'pm2.pid'), 'utf8')) })
})
