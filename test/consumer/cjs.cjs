const { Supervisor, ERROR_CODES } = require('tendjs')
const assert = require('node:assert/strict')

;(async () => {
  const sup = new Supervisor()
  const [info] = await sup.start({
    name: 'cjs',
    script: process.execPath,
    interpreter: 'none',
    args: ['-e', 'setInterval(() => {}, 1000)'],
  })
  assert.equal(info.status, 'online')
  assert.ok(ERROR_CODES.includes('TEND_ERR_NOT_FOUND'))
  await sup.close()
  console.log('require: ok')

  const { serve, connect } = require('tendjs/rpc')
  const { NotFoundError } = require('tendjs')
  const fs = require('node:fs')
  const dir = fs.mkdtempSync('/tmp/tend-consumer-')
  const served = new Supervisor()
  const server = await serve(served, { socketPath: `${dir}/rpc.sock` })
  const client = await connect({ socketPath: `${dir}/rpc.sock` })
  await assert.rejects(client.stop('nope'), NotFoundError)
  await client.close()
  await server.close()
  await served.close()
  fs.rmSync(dir, { recursive: true, force: true })
  console.log('require tend/rpc: ok')

  const app = require('tendjs/app')
  app.metrics.gauge({ name: 'consumer_gauge', help: 'a gauge', aggregate: 'max' }).set(3)
  assert.equal(app.metrics.snapshot()[0].series[0].value, 3)
  app.ready()
  console.log('require tendjs/app: ok')
})().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
