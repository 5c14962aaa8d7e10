const { Supervisor, ERROR_CODES } = require('tend')
const assert = require('node:assert/strict')

;(async () => {
  const sup = new Supervisor()
  const [info] = await sup.start({ name: 'cjs', script: process.execPath, interpreter: 'none', args: ['-e', 'setInterval(() => {}, 1000)'] })
  assert.equal(info.status, 'online')
  assert.ok(ERROR_CODES.includes('TEND_ERR_NOT_FOUND'))
  await sup.close()
  console.log('require: ok')
})().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
