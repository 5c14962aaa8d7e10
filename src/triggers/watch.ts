/**
 * `watch`: calls `fire` once after a burst of file changes has been quiet for
 * `delay` ms (chokidar). `node_modules` and dot files are always ignored, and
 * so is whatever `ignoreWatch` names.
 */
import { watch, type FSWatcher } from 'chokidar'
import { basename, isAbsolute, relative, resolve, sep } from 'node:path'
import picomatch from 'picomatch'

export interface WatchOptions {
  /** Absolute paths to watch. */
  readonly paths: readonly string[]
  /** The app's cwd: ignore patterns are relative to it. */
  readonly cwd: string
  /** Names, paths or globs, relative to `cwd`. */
  readonly ignore: readonly string[]
  /** Absolute paths never to react to (the app's log files, whose rotated copies are ignored too). */
  readonly ignoreFiles?: readonly string[]
  /** Quiet time (ms) after the last change before `fire`. */
  readonly delay: number
}

/**
 * A predicate for paths not to watch. A pattern matches a path when it
 * matches the path relative to `cwd`, one of its parent directories, or (for a
 * pattern without a slash) its base name: `'logs'` ignores `logs/a.txt` and
 * `src/logs`, `'*.log'` any .log file, `'dist/**'` everything under dist.
 */
export function watchIgnoreMatcher(cwd: string, patterns: readonly string[], files: readonly string[] = []): (path: string) => boolean {
  const matches = patterns.length > 0 ? picomatch([...patterns], { dot: true, basename: true }) : () => false
  return (path) => {
    const absolute = isAbsolute(path) ? path : resolve(cwd, path)
    // the app's own log files (and their rotated copies): writing them must not restart the app
    if (files.some((file) => absolute === file || absolute.startsWith(`${file}.`))) return true
    const rel = isAbsolute(path) ? relative(cwd, path) : path
    const parts = rel.split(sep).filter((part) => part !== '' && part !== '..' && part !== '.')
    if (parts.some((part) => part === 'node_modules' || part.startsWith('.'))) return true
    for (let i = 1; i <= parts.length; i++) if (matches(parts.slice(0, i).join('/'))) return true
    return parts.length > 0 && matches(basename(rel))
  }
}

export class WatchTrigger {
  readonly #watcher: FSWatcher
  readonly #delay: number
  readonly #fire: () => void
  #timer: NodeJS.Timeout | null = null
  #closed = false
  /** Resolves once the initial scan is done: changes from then on are seen. */
  readonly ready: Promise<void>

  constructor(options: WatchOptions, fire: () => void) {
    this.#delay = options.delay
    this.#fire = fire
    const ignored = watchIgnoreMatcher(options.cwd, options.ignore, options.ignoreFiles ?? [])
    this.#watcher = watch([...options.paths], { ignoreInitial: true, ignored: (path) => ignored(path), persistent: true })
    this.ready = new Promise((resolve) => {
      this.#watcher.once('ready', () => resolve())
      // A path that cannot be watched (removed, no permission) must not take the supervisor down.
      this.#watcher.on('error', () => resolve())
    })
    this.#watcher.on('all', () => this.#changed())
  }

  #changed(): void {
    if (this.#closed) return
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = null
      if (!this.#closed) this.#fire()
    }, this.#delay)
    this.#timer.unref()
  }

  async close(): Promise<void> {
    this.#closed = true
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    await this.#watcher.close()
  }
}
