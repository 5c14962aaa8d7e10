/** Finds files tend ships beside its code (the fork preload, the cluster container). */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let root: string | undefined

function packageRoot(): string {
  if (root) return root
  // Works from src/ (tests) and from the bundled dist/ alike: walk up to the
  // folder that has assets/ next to package.json.
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'assets')) && existsSync(join(dir, 'package.json'))) return (root = dir)
    const parent = dirname(dir)
    if (parent === dir) throw new Error('tend: cannot find its assets folder')
    dir = parent
  }
}

export function assetPath(name: string): string {
  return join(packageRoot(), 'assets', name)
}
