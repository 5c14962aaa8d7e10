/** `npm run bench`: runs every benchmark in bench/ (each file but this one), one after another. */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('.', import.meta.url))
const benches = readdirSync(dir).filter((name) => name.endsWith('.ts') && name !== 'run.ts').sort()
let failed = false
for (const name of benches) {
  console.log(`\n# bench/${name}\n`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', name, ...process.argv.slice(2)], { cwd: dir, stdio: 'inherit' })
  if (result.status !== 0) failed = true
}
process.exitCode = failed ? 1 : 0
