import { Supervisor, NotFoundError } from 'tend'
import assert from 'node:assert/strict'

const sup = new Supervisor()
const [info] = await sup.start({ name: 'esm', script: process.execPath, interpreter: 'none', args: ['-e', 'setInterval(() => {}, 1000)'] })
assert.equal(info.status, 'online')
assert.throws(() => sup.describe('nope'), NotFoundError)
await sup.close()
assert.equal(sup.list()[0].pid, null)
console.log('import: ok')
