/** Which command runs a script: node, another interpreter, or the script itself. */
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, extname, isAbsolute, join, resolve } from 'node:path'

const BY_EXTENSION: Record<string, string> = {
  '.js': 'node',
  '.mjs': 'node',
  '.cjs': 'node',
  '.sh': 'bash',
  '.bash': 'bash',
  '.py': 'python3',
  '.rb': 'ruby',
  '.pl': 'perl',
  '.php': 'php',
}

export interface ResolvedCommand {
  /** Absolute path of the script (or the binary itself when interpreter is null). */
  readonly script: string
  /** The interpreter to spawn, or null to spawn the script itself. */
  readonly interpreter: string | null
  readonly isNode: boolean
}

export type ResolveProblem = { readonly option: 'script' | 'interpreter'; readonly message: string }

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Finds a bare command on PATH, as a shell would. */
export function findOnPath(command: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, command)
    if (isFile(candidate) && isExecutable(candidate)) return candidate
  }
  return undefined
}

function isNodeCommand(command: string): boolean {
  return command === 'node' || command === process.execPath || /(^|\/)node(js)?$/.test(command)
}

/**
 * Resolves script and interpreter of a spec against its cwd. Returns a problem
 * (for an InvalidSpecError) rather than throwing, so the caller names the app.
 */
export function resolveCommand(
  script: string,
  interpreter: string | undefined,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedCommand | ResolveProblem {
  const scriptPath = isAbsolute(script) ? script : resolve(cwd, script)
  if (interpreter === 'none') {
    if (isFile(scriptPath)) {
      if (!isExecutable(scriptPath)) return { option: 'script', message: `"${scriptPath}" is not executable (interpreter is 'none')` }
      return { script: scriptPath, interpreter: null, isNode: false }
    }
    if (!script.includes('/')) {
      const found = findOnPath(script, env)
      if (found) return { script: found, interpreter: null, isNode: false }
    }
    return { option: 'script', message: `"${script}" was found neither in ${cwd} nor on PATH` }
  }

  let stat
  try {
    stat = statSync(scriptPath)
  } catch {
    return { option: 'script', message: `"${scriptPath}" does not exist` }
  }
  if (!stat.isFile()) return { option: 'script', message: `"${scriptPath}" is not a file` }

  const chosen = interpreter ?? BY_EXTENSION[extname(scriptPath).toLowerCase()] ?? (isExecutable(scriptPath) ? 'none' : 'node')
  if (chosen === 'none') return { script: scriptPath, interpreter: null, isNode: false }
  if (isNodeCommand(chosen)) return { script: scriptPath, interpreter: chosen === 'node' ? process.execPath : chosen, isNode: true }
  return { script: scriptPath, interpreter: chosen, isNode: false }
}
