/** `tend startup [systemd]` and `tend unstartup`: a unit that runs the daemon and resurrects on boot, and its removal. */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, userInfo } from 'node:os'
import { basename, dirname, join, sep } from 'node:path'
import { systemdUnit } from '../daemon/systemd-unit.js'
import { daemonCommand, home, out, usageError, warn } from './context.js'

export interface StartupOptions {
  readonly write?: boolean
  readonly unitPath?: string
  readonly serviceName?: string
}

interface UnitLocation {
  readonly path: string
  /** The unit's name, as systemctl takes it: the file's base name. */
  readonly name: string
  readonly asRoot: boolean
  readonly ctl: string
  /** Where `systemctl enable` links the unit. */
  readonly wantsLink: string
}

function location(system: string, options: StartupOptions): UnitLocation {
  if (system !== 'systemd') throw usageError(`tend startup supports systemd only, got "${system}"`)
  const user = userInfo()
  const asRoot = user.uid === 0
  const given = options.serviceName?.replace(/\.service$/, '')
  const fileName = `${given ?? (asRoot ? `tend-${user.username}` : 'tend')}.service`
  const dir = asRoot ? '/etc/systemd/system' : join(homedir(), '.config/systemd/user')
  const path = options.unitPath ?? join(dir, fileName)
  const name = basename(path)
  const wantsLink = join(dirname(path), asRoot ? 'multi-user.target.wants' : 'default.target.wants', name)
  return { path, name, asRoot, ctl: asRoot ? 'systemctl' : 'systemctl --user', wantsLink }
}

/**
 * npx runs tend with its temporary cache folders (`~/.npm/_npx/<hash>/…`)
 * first on PATH; they vanish when npm cleans its cache, so the unit leaves
 * them out and says so.
 */
export function unitPath(path: string): { path: string; dropped: string[] } {
  const entries = path.split(':').filter(Boolean)
  const isNpxTemp = (entry: string): boolean => entry.includes(`${sep}_npx${sep}`) || /[\\/]npm-cache[\\/]_npx[\\/]/.test(entry)
  return { path: entries.filter((entry) => !isNpxTemp(entry)).join(':'), dropped: entries.filter(isNpxTemp) }
}

export function startup(system: string, options: StartupOptions): void {
  const where = location(system, options)
  const { command, args } = daemonCommand()
  const user = userInfo()
  const path = unitPath(process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin')
  if (path.dropped.length > 0) {
    warn(`left npx's temporary folders out of the unit's PATH (${path.dropped.join(', ')})`)
    if (/[\\/]_npx[\\/]/.test(args.join(' '))) {
      warn(
        "the daemon itself runs from npx's cache here, which npm may clean: install tend (npm install -g tendjs, or in your project) and run tend startup from there to pin it",
      )
    }
  }
  const unit = systemdUnit({
    command,
    args,
    home: home(),
    user: user.username,
    system: where.asRoot,
    path: path.path || '/usr/local/bin:/usr/bin:/bin',
  })
  if (!options.write) {
    out(unit)
    return
  }
  mkdirSync(dirname(where.path), { recursive: true })
  writeFileSync(where.path, unit, { mode: 0o644 })
  const linger = where.asRoot ? '' : `\n(and for boot without a login: loginctl enable-linger ${user.username})`
  out(`wrote ${where.path}\nenable it with: ${where.ctl} daemon-reload && ${where.ctl} enable --now ${where.name}${linger}`)
}

/** Removes the unit `startup --write` installed (and its enable link), and says how to stop it. */
export function unstartup(system: string, options: StartupOptions): void {
  const where = location(system, options)
  if (!existsSync(where.path)) {
    out(`no unit at ${where.path}: nothing to remove`)
    return
  }
  rmSync(where.wantsLink, { force: true })
  rmSync(where.path)
  out(`removed ${where.path}\nstop it and forget it with: ${where.ctl} stop ${where.name}; ${where.ctl} daemon-reload`)
}
