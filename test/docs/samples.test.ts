/**
 * Every ```ts / ```js sample in README.md and docs/*.md typechecks against
 * the library's source (`tendjs` → src/index.ts, `tendjs/rpc` → src/rpc.ts,
 * `tendjs/http` → src/http.ts).
 * Samples are checked as a user's module would be: strict, top-level await.
 * Fragments may use `sup` (a Supervisor) and `Supervisor` without declaring
 * them, as the pages do. A block marked ```ts no-run is illustrative only and
 * skipped; keep those few.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { codeBlocks, docPages, root, type CodeBlock } from './doc-files.js'

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
  if (existsSync(join(root, 'src', 'http.ts'))) paths['tendjs/http'] = ['src/http.ts']
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
