/** The systemd unit `tend startup systemd` prints: the daemon in the foreground, resurrecting the dump on start. */

export interface UnitOptions {
  /** The node executable, and its arguments up to and including the daemon's entry. */
  readonly command: string
  readonly args: readonly string[]
  readonly home: string
  readonly user: string
  /** A system unit (with User=) rather than a user unit. */
  readonly system: boolean
  readonly path: string
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `"${word.replace(/(["\\$`])/g, '\\$1')}"`
}

export function systemdUnit(options: UnitOptions): string {
  const exec = [options.command, ...options.args].map(quote).join(' ')
  return `[Unit]
Description=tend process supervisor (${options.user})
Documentation=https://github.com/tend/tend/blob/main/docs/deploy-systemd-kubernetes.md
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
${options.system ? `User=${options.user}\n` : ''}Environment=TEND_HOME=${quote(options.home)}
Environment=PATH=${quote(options.path)}
ExecStart=${exec} --resurrect
# SIGTERM reaches the daemon only; it stops every app within its killTimeout.
KillMode=mixed
TimeoutStopSec=120
Restart=on-failure
RestartSec=2
# Each process takes about four descriptors in the daemon (its stdout and stderr pipes, its two log files).
LimitNOFILE=65536

[Install]
WantedBy=${options.system ? 'multi-user.target' : 'default.target'}
`
}
