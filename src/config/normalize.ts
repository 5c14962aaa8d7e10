/**
 * The one normalize step for specs: copy onto a null-prototype object, apply
 * defaults, validate every field with one message template, and reject
 * unknown keys with a "did you mean" hint.
 */
import { availableParallelism } from 'node:os'
import { constants as osConstants } from 'node:os'
import { statSync } from 'node:fs'
import { basename, extname, isAbsolute, resolve } from 'node:path'
import { InvalidSpecError } from '../errors.js'
import { normalizeDependsOn } from '../deps/depends-on-options.js'
import { normalizeGroupName } from '../groups/group-options.js'
import { normalizeProbes } from '../health/probe-options.js'
import { normalizeLogOptions } from '../logs/log-options.js'
import { listenProblem, normalizeListenOption } from '../sockets/listen-spec.js'
import { normalizeBackoff } from '../restart/backoff-options.js'
import { normalizeCron } from '../triggers/cron-options.js'
import { normalizeMaxMemory } from '../triggers/memory-options.js'
import { normalizeWatchOptions } from '../triggers/watch-options.js'
import type { NormalizedSpec } from '../types.js'
import { resolveCommand } from './interpreter.js'
import { SPEC_DEFAULTS, SPEC_KEYS } from './spec-defaults.js'
import { describeValue, SpecFields } from './spec-fields.js'
import { suggest } from './suggest.js'

export { SPEC_KEYS } from './spec-defaults.js'

export interface NormalizeContext {
  /** The environment specs inherit (for PATH look-ups). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Resolves relative cwds. */
  readonly baseCwd: string
}

function resolveInstances(value: unknown, v: SpecFields): number {
  const cpus = availableParallelism()
  let n: number | undefined
  if (value === 'max') n = cpus
  else if (typeof value === 'number') n = value
  else if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) n = Number(value)
  if (n === undefined || !Number.isInteger(n)) return v.fail('instances', "an integer, 'max', or a negative integer (CPUs minus n)", value)
  if (n === 0) return cpus
  if (n < 0) return Math.max(1, cpus + n)
  return n
}

/** The name an app gets when its spec has none: the script's base name without extension. */
export function defaultName(script: string): string {
  const base = basename(script)
  const ext = extname(base)
  const name = (ext ? base.slice(0, -ext.length) : base).replace(/\s+/g, '-')
  return /^\d+$/.test(name) || name === 'all' ? `app-${name}` : name
}

/** Validates one spec and applies defaults. Throws InvalidSpecError naming the option. */
export function normalizeSpec(spec: unknown, context: NormalizeContext): NormalizedSpec {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new InvalidSpecError(`An app spec must be an object, got ${describeValue(spec)}`)
  }
  const input = Object.assign(Object.create(null) as Record<string, unknown>, spec)
  const rawName = typeof input.name === 'string' ? input.name : undefined
  // Typed explicitly: TypeScript narrows after a call that returns never only through a declared type.
  const v: SpecFields = new SpecFields(input, rawName)

  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(SPEC_DEFAULTS, key)) {
      const hint = suggest(key, SPEC_KEYS)
      const where = rawName ? ` in app "${rawName}"` : ''
      throw new InvalidSpecError(`Unknown option "${key}"${where}${hint ? `; did you mean "${hint}"?` : ''}`, { option: key, app: rawName })
    }
  }

  const script = v.string('script')!
  const name = v.string('name', { optional: true }) ?? defaultName(script)
  if (/[\s/\\]/.test(name) || /^\d+$/.test(name) || name === 'all') {
    v.fail('name', "a name without spaces or slashes that is not a number nor 'all'", name)
  }

  const cwdInput = v.string('cwd', { optional: true })
  const cwd = cwdInput === undefined ? context.baseCwd : isAbsolute(cwdInput) ? cwdInput : resolve(context.baseCwd, cwdInput)
  let cwdIsDir = false
  try {
    cwdIsDir = statSync(cwd).isDirectory()
  } catch {
    cwdIsDir = false
  }
  if (!cwdIsDir) v.problem('cwd', `"${cwd}" is not an existing directory`)

  const envInput = v.get('env')
  if (envInput === null || typeof envInput !== 'object' || Array.isArray(envInput))
    v.fail('env', 'an object of strings, numbers or booleans')
  const env: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [key, value] of Object.entries(envInput as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') env[key] = String(value)
    else v.fail(`env.${key}`, 'a string, number or boolean', value)
  }

  const interpreterInput = v.string('interpreter', { optional: true })
  const resolved = resolveCommand(script, interpreterInput, cwd, { ...context.env, ...env })
  if ('message' in resolved) v.problem(resolved.option, resolved.message)

  const interpreterArgs = v.stringList('interpreterArgs')
  if (resolved.isNode && needsTypeScriptLoader(resolved.script, interpreterArgs)) {
    v.problem(
      'script',
      `"${resolved.script}" is TypeScript, which this node (${process.version}) does not run by itself: ` +
        "use interpreter: 'tsx' (--interpreter tsx) or interpreterArgs: ['--import', 'tsx'] (node_args), with tsx installed",
    )
  }

  const mode = v.get('mode')
  if (mode !== 'fork' && mode !== 'cluster') v.fail('mode', "'fork' or 'cluster'")
  if (mode === 'cluster' && !resolved.isNode)
    v.problem('mode', `cluster mode runs node scripts only; "${resolved.script}" runs with ${resolved.interpreter ?? 'no interpreter'}`)

  const killSignal = v.get('killSignal')
  if (typeof killSignal !== 'string' || !(killSignal in osConstants.signals))
    v.fail('killSignal', "a signal name such as 'SIGINT' or 'SIGTERM'")

  const stopExitCodesInput = v.get('stopExitCodes')
  const stopExitCodes = typeof stopExitCodesInput === 'number' ? [stopExitCodesInput] : stopExitCodesInput
  if (!Array.isArray(stopExitCodes) || !stopExitCodes.every((code) => Number.isInteger(code) && code >= 0 && code <= 255)) {
    v.fail('stopExitCodes', 'an exit code (0 to 255) or an array of them')
  }

  const instanceVar = v.string('instanceVar')!
  const incrementVar = v.string('incrementVar', { optional: true }) ?? null
  if (incrementVar !== null) {
    const base = env[incrementVar] ?? context.env[incrementVar]
    if (base === undefined || !/^\d+$/.test(base))
      v.problem('incrementVar', `"${incrementVar}" must be set to an integer in env to be incremented`)
  }

  const namespace = v.string('namespace')!
  const normalized: NormalizedSpec = {
    name,
    script: resolved.script,
    args: v.stringList('args'),
    interpreter: resolved.interpreter,
    isNode: resolved.isNode,
    interpreterArgs,
    cwd,
    env,
    namespace,
    mode,
    instances: resolveInstances(v.get('instances'), v),
    autostart: v.boolean('autostart'),
    autorestart: v.boolean('autorestart'),
    stopExitCodes: [...(stopExitCodes as number[])],
    minUptime: v.duration('minUptime'),
    maxRestarts: v.integer('maxRestarts', 0),
    restartDelay: v.duration('restartDelay'),
    backoff: normalizeBackoff(v),
    maxMemoryRestart: normalizeMaxMemory(v),
    cronRestart: normalizeCron(v),
    ...normalizeWatchOptions(v, cwd),
    killSignal: killSignal as NodeJS.Signals,
    killTimeout: v.duration('killTimeout'),
    treekill: v.boolean('treekill'),
    shutdownWithMessage: v.boolean('shutdownWithMessage'),
    waitReady: v.boolean('waitReady'),
    listenTimeout: v.duration('listenTimeout'),
    instanceVar,
    incrementVar,
    listen: normalizeListenOption(v),
    ...normalizeLogOptions(v, cwd),
    probes: normalizeProbes(v, env.PORT ?? context.env.PORT),
    dependsOn: normalizeDependsOn(v, name),
    group: normalizeGroupName(v),
    critical: v.boolean('critical'),
  }
  const listenIssue = listenProblem(normalized)
  if (listenIssue) v.problem('listen', listenIssue)
  if (normalized.shutdownWithMessage && !normalized.isNode) {
    v.problem('shutdownWithMessage', 'needs an IPC channel, which only node scripts have')
  }
  if (normalized.waitReady && !normalized.isNode)
    v.problem('waitReady', "needs an IPC channel to receive 'ready', which only node scripts have")
  return deepFreeze(normalized)
}

const TYPESCRIPT = /\.[cm]?ts$/i
/** Node flags that bring a loader (tsx, ts-node, swc…) or node's own type stripping. */
const LOADER_FLAG = /^--(import|require|loader|experimental-loader|experimental-strip-types|experimental-transform-types)\b|^-r$/

/** A .ts script run by plain node, on a node that does not strip types and with no loader flag: it would crash-loop. */
function needsTypeScriptLoader(script: string, interpreterArgs: readonly string[]): boolean {
  if (!TYPESCRIPT.test(script)) return false
  if ((process.features as { typescript?: unknown }).typescript) return false
  return !interpreterArgs.some((arg) => LOADER_FLAG.test(arg))
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object') Object.freeze(inner)
  return Object.freeze(value)
}
