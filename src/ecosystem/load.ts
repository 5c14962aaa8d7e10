/**
 * Ecosystem files: `apps: [...]` in .js/.cjs/.mjs/.json/.json5/.yml/.yaml,
 * with PM2's key names mapped onto tend's AppSpec and `env_<name>` blocks
 * merged for `--env <name>`. Unknown keys are errors with a suggestion; keys
 * PM2 knows that tend does not use come back as warnings.
 *
 * As PM2 reads them: a data file (.json, .json5, .yml, .yaml) is always an
 * app declaration (an `apps` list, a bare list of apps, or one app object),
 * never a script; and `instances` on a node app means cluster mode unless
 * `exec_mode`/`mode` says fork.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import JSON5 from 'json5'
import YAML from 'yaml'
import { InvalidSpecError } from '../errors.js'
import { SPEC_KEYS } from '../config/normalize.js'
import { suggest } from '../config/suggest.js'
import { normalizeGroups } from '../groups/group-options.js'
import type { AppSpec, GroupSpec } from '../types.js'
import { envBlockName, PM2_IGNORED_KEYS, PM2_KEY_MAP } from './pm2-keys.js'

export const ECOSYSTEM_EXTENSIONS = ['.js', '.cjs', '.mjs', '.json', '.json5', '.yml', '.yaml'] as const
/** Extensions that are data, never a script: such a file given to `start` is an app declaration or an error. */
export const APP_FILE_EXTENSIONS = ['.json', '.json5', '.yml', '.yaml'] as const

/** Is this a data file (.json, .json5, .yml, .yaml), which `start` always reads as apps and never runs? */
export function isAppDataFile(path: string): boolean {
  return (APP_FILE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase())
}

export interface LoadOptions {
  /** Merge each app's `env_<name>` block over its `env`. */
  readonly env?: string
  /** Keep only these app names. */
  readonly only?: readonly string[]
}

export interface Ecosystem {
  readonly path: string
  readonly apps: AppSpec[]
  /** The file's top-level `groups` (supervision groups its apps name with `group`), validated; {} when it has none. */
  readonly groups: Readonly<Record<string, GroupSpec>>
  /** Keys that were ignored, and other things worth telling the user. */
  readonly warnings: string[]
}

const TOP_LEVEL_IGNORED = new Set(['deploy'])

/**
 * Could this file be an ecosystem file? Data files with a known extension
 * always are (the loader refuses one that declares no app); a script only
 * when its name or text says so (a server script must not be executed just
 * to look for `apps`).
 */
export function looksLikeEcosystem(path: string): boolean {
  const ext = extname(path).toLowerCase()
  if (!(ECOSYSTEM_EXTENSIONS as readonly string[]).includes(ext)) return false
  if (isAppDataFile(path)) return true
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return false
  }
  if (/(^|[.-])(ecosystem|process|pm2)([.-]|$)|\.config\.[cm]?js$/i.test(basename(path))) return /\bapps\b/.test(text)
  return /\bapps\b\s*:/.test(text) && /module\.exports|export\s+default/.test(text)
}

async function readRaw(path: string): Promise<unknown> {
  const ext = extname(path).toLowerCase()
  if (ext === '.js' || ext === '.cjs' || ext === '.mjs') {
    let module: { default?: unknown }
    try {
      module = (await import(pathToFileURL(path).href)) as { default?: unknown }
    } catch (error) {
      // A syntax error (the import's own, or a loader's such as tsx's) is reported by node's parser with its place.
      const syntax = syntaxError(path)
      if (syntax) throw new InvalidSpecError(syntax)
      throw error
    }
    return module.default ?? module
  }
  const text = readFileSync(path, 'utf8')
  try {
    return ext === '.yml' || ext === '.yaml' ? (YAML.parse(text) as unknown) : JSON5.parse<unknown>(text)
  } catch (error) {
    throw new InvalidSpecError(`Cannot parse ${path}: ${(error as Error).message}`)
  }
}

/**
 * A JS file's syntax error as `file:line:column: SyntaxError: message`, or
 * null when it has none. An import's SyntaxError does not say where (for ESM
 * not even the line), so ask node's own parser, `node --check`, which prints
 * the line and a caret under the column.
 */
export function syntaxError(path: string): string | null {
  const result = spawnSync(process.execPath, ['--check', path], { encoding: 'utf8', timeout: 10_000 })
  if (result.status === 0) return null
  const lines = (result.stderr ?? '').split('\n')
  const message = lines.find((line) => line.startsWith('SyntaxError:'))
  if (!message) return null
  const at = lines.findIndex((line) => /:\d+$/.test(line))
  if (at === -1) return `${path}: ${message}`
  const lineNumber = /:(\d+)$/.exec(lines[at]!)![1]
  const caret = lines[at + 2]?.indexOf('^') ?? -1
  return `${path}:${lineNumber}:${caret >= 0 ? caret + 1 : 1}: ${message}`
}

function convert(pm2Key: string, tendKey: string, value: unknown): unknown {
  if (tendKey === 'mode' && typeof value === 'string') return value.replace(/_mode$/, '')
  if (pm2Key === 'exp_backoff_restart_delay' && typeof value === 'number') return { initialDelay: value }
  return value
}

const PM2_KEYS = [
  ...Object.keys(PM2_KEY_MAP),
  ...Object.keys(PM2_IGNORED_KEYS),
  'name',
  'script',
  'cwd',
  'interpreter',
  'namespace',
  'autorestart',
  'treekill',
]

/** A hint in the spelling the user writes: snake_case keys get PM2's names, others tend's. */
function hintFor(key: string): string | undefined {
  return key.includes('_') ? (suggest(key, PM2_KEYS) ?? suggest(key, SPEC_KEYS)) : (suggest(key, SPEC_KEYS) ?? suggest(key, PM2_KEYS))
}

const NODE_SCRIPT = /\.[cm]?js$/i

/**
 * PM2's mode rule: `instances` on a node app with no `exec_mode`/`mode`
 * means cluster mode (PM2 puts such an app in cluster_mode, even with
 * `instances: 1`). An app run by another interpreter stays in fork mode, as
 * in PM2. The library's own default, for specs given to `start()` directly,
 * stays fork: there `mode` is always what the spec says.
 */
function applyPm2ModeRule(spec: Record<string, unknown>): void {
  if (spec.instances === undefined || spec.mode !== undefined) return
  const { interpreter, script } = spec
  const byNode =
    interpreter === undefined
      ? typeof script === 'string' && (NODE_SCRIPT.test(script) || extname(script) === '')
      : typeof interpreter === 'string' && /(^|\/)node(js)?$/.test(interpreter)
  if (byNode) spec.mode = 'cluster'
}

/** Maps one PM2-style app onto an AppSpec. */
export function mapApp(raw: unknown, where: string, options: { env?: string; baseDir: string }, warnings: string[]): AppSpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidSpecError(`${where} is not an object`)
  const input = raw as Record<string, unknown>
  const label = typeof input.name === 'string' ? `app "${input.name}"` : where
  const spec: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  const envBlocks = new Map<string, unknown>()
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue
    const block = envBlockName(key)
    if (block !== null) {
      envBlocks.set(block, value)
      continue
    }
    if (SPEC_KEYS.includes(key)) {
      spec[key] = value
      continue
    }
    const mapped = PM2_KEY_MAP[key]
    if (mapped !== undefined) {
      if (SPEC_KEYS.includes(mapped)) spec[mapped] = convert(key, mapped, value)
      else warnings.push(`${label}: "${key}" (tend's "${mapped}") is not supported by this version of tend; ignored`)
      continue
    }
    if (Object.hasOwn(PM2_IGNORED_KEYS, key)) {
      const why = PM2_IGNORED_KEYS[key]
      warnings.push(`${label}: PM2 option "${key}" is ignored${why ? ` (${why})` : ''}`)
      continue
    }
    const hint = hintFor(key)
    throw new InvalidSpecError(`Unknown option "${key}" in ${label}${hint ? `; did you mean "${hint}"?` : ''}`, {
      option: key,
      app: typeof input.name === 'string' ? input.name : undefined,
    })
  }
  if (options.env !== undefined) {
    const block = envBlocks.get(options.env)
    if (block !== undefined) {
      if (block === null || typeof block !== 'object' || Array.isArray(block)) {
        throw new InvalidSpecError(`"env_${options.env}" of ${label} must be an object`, { option: `env_${options.env}` })
      }
      const base = (spec.env ?? {}) as Record<string, unknown>
      spec.env = { ...base, ...(block as Record<string, unknown>) }
    }
  }
  applyPm2ModeRule(spec)
  const cwd = typeof spec.cwd === 'string' ? spec.cwd : undefined
  spec.cwd = cwd === undefined ? options.baseDir : isAbsolute(cwd) ? cwd : resolve(options.baseDir, cwd)
  return spec as unknown as AppSpec
}

/** Loads an ecosystem file and maps its apps. Throws InvalidSpecError for a file or key it cannot use. */
export async function loadEcosystem(file: string, options: LoadOptions = {}): Promise<Ecosystem> {
  const path = resolve(file)
  const raw = await readRaw(path)
  const warnings: string[] = []
  let list: unknown
  let groups: Readonly<Record<string, GroupSpec>> = {}
  if (Array.isArray(raw)) list = raw
  else if (raw !== null && typeof raw === 'object' && 'apps' in raw) {
    const top = raw as Record<string, unknown>
    list = Array.isArray(top.apps) ? top.apps : [top.apps]
    if (top.groups !== undefined) {
      normalizeGroups(top.groups) // a bad declaration is an error here, before anything is sent
      groups = top.groups as Readonly<Record<string, GroupSpec>>
    }
    for (const key of Object.keys(top)) {
      if (key === 'apps' || key === 'groups' || key === 'default' || key === '__esModule') continue
      warnings.push(TOP_LEVEL_IGNORED.has(key) ? `"${key}" is ignored (tend has no ${key} command)` : `top-level key "${key}" is ignored`)
    }
  } else if (raw !== null && typeof raw === 'object' && ('script' in raw || 'exec' in raw)) {
    list = [raw] // one app object, as PM2 accepts
  } else {
    throw new InvalidSpecError(
      `${path} declares no app: expected an "apps" list, a list of apps, or one app object with "script"${
        raw === null || typeof raw !== 'object' ? `, got ${raw === null ? 'null' : typeof raw}` : ''
      }`,
    )
  }
  const baseDir = dirname(path)
  let apps = (list as unknown[]).map((app, index) => mapApp(app, `apps[${index}]`, { env: options.env, baseDir }, warnings))
  if (
    options.env !== undefined &&
    !(list as Record<string, unknown>[]).some((app) => app && typeof app === 'object' && `env_${options.env}` in app)
  ) {
    warnings.push(`no app has an "env_${options.env}" block`)
  }
  if (options.only && options.only.length > 0) {
    const wanted = new Set(options.only)
    const known = new Set(apps.map((app) => app.name))
    for (const name of wanted) if (!known.has(name)) throw new InvalidSpecError(`--only names "${name}", which ${path} does not have`)
    apps = apps.filter((app) => app.name !== undefined && wanted.has(app.name))
  }
  if (apps.length === 0) throw new InvalidSpecError(`${path} has no apps`)
  return { path, apps, groups, warnings }
}
