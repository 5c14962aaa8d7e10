/**
 * Every ```ts / ```js sample in README.md and docs/*.md typechecks against
 * the library's source (`tendjs` → src/index.ts, `tendjs/rpc` → src/rpc.ts).
 * Samples are checked as a user's module would be: strict, top-level await.
 * Fragments may use `sup` (a Supervisor) and `Supervisor` without declaring
 * them, as the pages do. A block marked ```ts no-run is illustrative only and
 * skipped; keep those few.
 *
 * Then every sample runs (sample-runner.ts): as a plain .mjs on the Node at
 * hand, against the source, until it ends by itself (a sample that leaves a
 * Supervisor open never ends, and fails here).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'
import { codeBlocks, docPages, root, type CodeBlock } from './doc-files.js'
import { programOf, runProgram, sandbox, usesPageSupervisor } from './sample-runner.js'

const TS_LANGS = new Set(['ts', 'typescript', 'mts'])
const JS_LANGS = new Set(['js', 'javascript', 'mjs', 'cjs'])

/** What a fragment may use without declaring it. */
const PRELUDE = `
declare global {
  const Supervisor: typeof import('tendjs').Supervisor
  type Supervisor = import('tendjs').Supervisor
  const sup: import('tendjs').Supervisor
}
export {}
`

const samples = docPages()
  .flatMap(codeBlocks)
  .filter((block) => (TS_LANGS.has(block.lang) || JS_LANGS.has(block.lang)) && !block.flags.includes('no-run'))

function fileNameOf(block: CodeBlock, index: number): string {
  const ext = JS_LANGS.has(block.lang)
    ? block.lang === 'mjs'
      ? '.mjs'
      : /\bmodule\.exports\b|\brequire\(/.test(block.code)
        ? '.cjs'
        : '.mjs'
    : '.ts'
  return join(root, 'test', 'docs', '.samples', `${block.page.replace(/[^\w]/g, '_')}_${block.line}_${index}${ext}`)
}

function typecheck(blocks: readonly CodeBlock[]): Map<CodeBlock, string[]> {
  const files = new Map<string, { block?: CodeBlock; text: string }>()
  files.set(join(root, 'test', 'docs', '.samples', 'prelude.d.ts'), { text: PRELUDE })
  blocks.forEach((block, i) => {
    const isScript = /\bmodule\.exports\b/.test(block.code)
    files.set(fileNameOf(block, i), { block, text: isScript ? block.code : `${block.code}\nexport {}\n` })
  })
  const paths: Record<string, string[]> = { tendjs: ['src/index.ts'] }
  if (existsSync(join(root, 'src', 'rpc.ts'))) paths['tendjs/rpc'] = ['src/rpc.ts']
  if (existsSync(join(root, 'src', 'app', 'index.ts'))) paths['tendjs/app'] = ['src/app/index.ts']
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    allowJs: true,
    checkJs: false,
    types: ['node'],
    baseUrl: root,
    paths,
    allowImportingTsExtensions: false,
  }
  const host = ts.createCompilerHost(options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (name, language, ...rest) => {
    const virtual = files.get(name)
    return virtual ? ts.createSourceFile(name, virtual.text, language) : getSourceFile(name, language, ...rest)
  }
  const fileExists = host.fileExists.bind(host)
  host.fileExists = (name) => files.has(name) || fileExists(name)
  const readFile = host.readFile.bind(host)
  host.readFile = (name) => files.get(name)?.text ?? readFile(name)
  const program = ts.createProgram([...files.keys()], options, host)
  const problems = new Map<CodeBlock, string[]>(blocks.map((block) => [block, []]))
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const virtual = diagnostic.file ? files.get(diagnostic.file.fileName) : undefined
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')
    if (!virtual?.block) {
      // an error outside the samples (the prelude, the library) fails every sample: report it on the first
      problems.get(blocks[0]!)?.push(`${diagnostic.file?.fileName ?? 'options'}: ${message}`)
      continue
    }
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
    problems.get(virtual.block)!.push(`${virtual.block.page}:${virtual.block.line + line}: ${message}`)
  }
  return problems
}

describe('code samples in the docs', () => {
  const problems = typecheck(samples)

  it('finds the samples (README and docs pages)', () => {
    expect(samples.length).toBeGreaterThan(3)
    expect(samples.some((block) => block.page === 'README.md')).toBe(true)
  })

  for (const block of samples) {
    it(`${block.page}:${block.line} (${block.lang})`, () => {
      expect(problems.get(block)).toEqual([])
    })
  }
})

/** The programs to run: each sample alone, except a page's fragments on its implicit `sup`, which run together in order. */
function programs(): { name: string; blocks: CodeBlock[] }[] {
  const out: { name: string; blocks: CodeBlock[] }[] = []
  const fragments = new Map<string, CodeBlock[]>()
  for (const block of samples) {
    if (usesPageSupervisor(block.code)) {
      const list = fragments.get(block.page) ?? []
      if (list.length === 0) out.push({ name: `${block.page} (its fragments on sup, in order)`, blocks: list })
      list.push(block)
      fragments.set(block.page, list)
    } else out.push({ name: `${block.page}:${block.line}`, blocks: [block] })
  }
  return out
}

describe('code samples in the docs run and end by themselves', { timeout: 240_000 }, () => {
  const box = sandbox()
  afterAll(() => box.close())

  it('runs the README example as a plain .mjs, not only through a transpiler', () => {
    const readme = samples.find((block) => block.page === 'README.md')!
    const program = programOf([readme], box.dir)
    expect(program).not.toMatch(/\bawait using\b/)
    expect(program).toContain("from 'tendjs'")
  })

  programs().forEach(({ name, blocks }, index) => {
    it(name, async () => {
      const run = await runProgram(box.dir, `sample-${index}`, programOf(blocks, box.dir), 180_000)
      expect(run.timedOut, `${name} did not end within 180 s:\n${run.output}`).toBe(false)
      expect({ code: run.code, signal: run.signal }, run.output).toEqual({ code: 0, signal: null })
    })
  })
})
