/**
 * Runs the docs' samples, not only typechecks them: each becomes a plain
 * `.mjs` (TypeScript types stripped, nothing else lowered: `await using`
 * stays what Node 20 sees) in a sandbox directory where `tendjs` resolves to
 * the source (through tsx, which leaves .mjs files untouched), and runs with
 * node until it ends by itself, within a timeout.
 *
 * The sandbox holds what the samples name: `server.js` (an HTTP server that
 * listens on a port the OS picks, so samples that say 3000 never collide with
 * something on this machine, and sends 'ready'), `worker.js` (stays up), and
 * `test/` (the repository's fixtures). Absolute paths a sample writes to
 * (`/var/lib/…`, `/run/…`) are moved under the sandbox.
 *
 * Fragments that use a `sup` they do not declare run in order, one program
 * per page, with `const sup = new Supervisor()` before and `await sup.close()`
 * after, as a reader would type them.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { root, type CodeBlock } from './doc-files.js'

const tsxLoader = import.meta.resolve('tsx')

const SERVER = `const http = require('node:http')
const server = http.createServer((req, res) => res.end(String(process.pid)))
server.listen(0, '127.0.0.1', () => process.send?.('ready'))
const stop = () => server.close(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
process.on('message', (m) => m === 'shutdown' && stop())
`
const WORKER = `setInterval(() => {}, 1 << 30)\nprocess.on('SIGINT', () => process.exit(0))\n`

export interface Sandbox {
  readonly dir: string
  close(): void
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync('/tmp/tds-')
  // No package.json: server.js and worker.js are CommonJS, the samples .mjs.
  writeFileSync(join(dir, 'server.js'), SERVER)
  writeFileSync(join(dir, 'worker.js'), WORKER)
  const shim = join(dir, 'node_modules', 'tendjs')
  mkdirSync(shim, { recursive: true })
  writeFileSync(
    join(shim, 'package.json'),
    JSON.stringify({ name: 'tendjs', type: 'module', exports: { '.': './index.ts', './rpc': './rpc.ts' } }),
  )
  writeFileSync(join(shim, 'index.ts'), `export * from ${JSON.stringify(join(root, 'src', 'index.ts'))}\n`)
  writeFileSync(join(shim, 'rpc.ts'), `export * from ${JSON.stringify(join(root, 'src', 'rpc.ts'))}\n`)
  symlinkSync(join(root, 'test'), join(dir, 'test'))
  return { dir, close: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Does the code use a `sup` it does not declare? */
export function usesPageSupervisor(code: string): boolean {
  return /\bsup\./.test(code) && !/\b(const|let|var|using)\s+sup\b/.test(code)
}

/** The program for a sample (or a page's run of fragments), as plain JavaScript for Node 20. */
export function programOf(blocks: readonly CodeBlock[], dir: string): string {
  const fragments = blocks.length > 1 || usesPageSupervisor(blocks[0]!.code)
  let code = blocks.map((block) => block.code).join('\n')
  code = code.replace(/(['"`])\/(var\/lib|run)\//g, `$1${dir}/$2/`)
  if (fragments) {
    const imports = /^import .*$/gm
    const head = [...code.matchAll(imports)].map((match) => match[0])
    code = code.replace(imports, '')
    const needsImport = !head.some((line) => /\bSupervisor\b/.test(line))
    code = [
      ...(needsImport ? ["import { Supervisor } from 'tendjs'"] : []),
      ...head,
      'const sup = new Supervisor({ metricsInterval: 0 })',
      'try {',
      code,
      '} finally {',
      '  await sup.close()',
      '}',
    ].join('\n')
  }
  // The pages' prelude (see samples.test.ts) lets a sample use Supervisor without importing it.
  if (!fragments && /\bSupervisor\b/.test(code) && !/import .*\bSupervisor\b/.test(code))
    code = `import { Supervisor } from 'tendjs'\n${code}`
  // Types stripped, nothing lowered (target ESNext keeps `await using`, which Node 20 rejects).
  return ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false },
  }).outputText
}

export interface SampleRun {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly output: string
  readonly timedOut: boolean
}

/** Writes the program to the sandbox and runs it with node; SIGKILL after `timeout` ms. */
export function runProgram(dir: string, name: string, program: string, timeout: number): Promise<SampleRun> {
  const file = join(dir, `${name}.${/\bmodule\.exports\b|\brequire\(/.test(program) ? 'cjs' : 'mjs'}`)
  writeFileSync(file, program)
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, file], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeout)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, output: output.slice(-4000), timedOut })
    })
  })
}
