/** `tend startup [systemd]`: a unit that runs the daemon and resurrects on boot. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { homedir, userInfo } from 'node:os'
import { dirname, join } from 'node:path'
import { systemdUnit } from '../daemon/systemd-unit.js'
import { CliError, daemonCommand, home, out } from './context.js'

export function startup(system: string, options: { write?: boolean; unitPath?: string }): void {
  if (system !== 'systemd') throw new CliError(`tend startup supports systemd only, got "${system}"`)
  const { command, args } = daemonCommand()
  const user = userInfo()
  const asRoot = user.uid === 0
  const unit = systemdUnit({
    command,
    args,
    home: home(),
    user: user.username,
    system: asRoot,
    path: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  })
  if (!options.write) {
    out(unit)
    return
  }
  const name = asRoot ? `tend-${user.username}.service` : 'tend.service'
  const path = options.unitPath ?? (asRoot ? join('/etc/systemd/system', name) : join(homedir(), '.config/systemd/user', name))
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, unit, { mode: 0o644 })
  const ctl = asRoot ? 'systemctl' : 'systemctl --user'
  out(
    `wrote ${path}\nenable it with: ${ctl} daemon-reload && ${ctl} enable --now ${name}${asRoot ? '' : `\n(and for boot without a login: loginctl enable-linger ${user.username})`}`,
  )
}
