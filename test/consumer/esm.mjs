import { Supervisor, NotFoundError } from 'tendjs'
import assert from 'node:assert/strict'

const sup = new Supervisor()
const [info] = await sup.start({ name: 'esm', script: process.execPath, interpreter: 'none', args: ['-e', 'setInterval(() => {}, 1000)'] })
assert.equal(info.status, 'online')
assert.throws(() => sup.describe('nope'), NotFoundError)
await sup.close()
assert.equal(sup.list()[0].pid, null)
console.log('import: ok')

// tend/rpc: a Supervisor served on a Unix socket, used through a client
{
  const { serve, connect } = await import('tendjs/rpc')
  const { mkdtempSync, rmSync } = await import('node:fs')
  const dir = mkdtempSync('/tmp/tend-consumer-')
  const served = new Supervisor()
  const server = await serve(served, { socketPath: `${dir}/rpc.sock` })
  const client = await connect({ socketPath: `${dir}/rpc.sock` })
  await assert.rejects(client.stop('nope'), NotFoundError)
  assert.deepEqual(await client.list(), [])
  await client.close()
  await server.close()
  await served.close()
  rmSync(dir, { recursive: true, force: true })
  console.log('import tend/rpc: ok')
}

// tendjs/app: safe to import unsupervised; every call works locally and sends nothing
{
  const { metrics, actions, ready, onShutdown, supervised } = await import('tendjs/app')
  assert.equal(supervised(), false)
  metrics.counter({ name: 'consumer_total', help: 'a counter' }).inc(2)
  assert.equal(metrics.snapshot()[0].series[0].value, 2)
  actions.register('hello', (params) => ({ hello: params }))
  assert.deepEqual(await actions.invoke('hello', 'you'), { hello: 'you' })
  assert.equal(typeof onShutdown, 'function')
  ready()
  console.log('import tendjs/app: ok')
}
