// Errors that survive copies: the ESM and CommonJS builds are two module
// instances with two sets of classes, and `tendjs-copy` is a second installed
// copy of the package. `instanceof` must hold across all of them, both ways.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { mkdtempSync, rmSync } from 'node:fs'
import * as esm from 'tendjs'
import { serve } from 'tendjs/rpc'
import * as copy from 'tendjs-copy'

const cjs = createRequire(import.meta.url)('tendjs')
assert.notEqual(cjs.NotFoundError, esm.NotFoundError, 'the two builds hold two classes')
assert.notEqual(copy.NotFoundError, esm.NotFoundError, 'the two installs hold two classes')

for (const [a, b, label] of [
  [cjs, esm, 'CJS build → ESM build'],
  [esm, cjs, 'ESM build → CJS build'],
  [copy, esm, 'second copy → first copy'],
  [esm, copy, 'first copy → second copy'],
]) {
  const error = new a.NotFoundError('nope')
  assert.ok(error instanceof b.NotFoundError, `${label}: instanceof NotFoundError`)
  assert.ok(error instanceof b.TendError, `${label}: instanceof TendError`)
  assert.ok(!(error instanceof b.ExistsError), `${label}: not instanceof another class`)
}
assert.ok(!(Object.assign(new Error('x'), { code: 'TEND_ERR_NOT_FOUND' }) instanceof esm.NotFoundError), 'a look-alike without the brand')

// A Supervisor of the CommonJS build served by the ESM build: its errors keep their class over RPC.
{
  const dir = mkdtempSync('/tmp/tend-consumer-')
  const served = new cjs.Supervisor()
  const server = await serve(served, { socketPath: `${dir}/rpc.sock` })
  const { connect } = createRequire(import.meta.url)('tendjs/rpc')
  const client = await connect({ socketPath: `${dir}/rpc.sock` })
  await assert.rejects(client.stop('nope'), (error) => error instanceof esm.NotFoundError && error instanceof cjs.NotFoundError)
  await client.close()
  await server.close()
  await served.close()
  rmSync(dir, { recursive: true, force: true })
}
console.log('errors across copies: ok')
