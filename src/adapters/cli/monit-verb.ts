/**
 * `tend monit`: the live terminal dashboard of the daemon. Ink and React
 * are loaded here and nowhere else, so no other verb (and no library user)
 * pays for them.
 */
import { Command } from 'commander'
import { CliError, daemon, home } from './context.js'

/**
 * Loads Ink and React the way a terminal UI wants them, with variables they
 * read once, at load time, changed only while they load (so nothing this
 * process starts later sees the change):
 * - CI and its kin (CONTINUOUS_INTEGRATION, CI_*) hidden: Ink draws only a
 *   last frame, and chalk no colour, when they believe they run in CI; a
 *   person at a terminal wants the live screen whatever the environment says.
 * - NODE_ENV: React picks its production build (several times cheaper per
 *   frame than the development one) unless told otherwise.
 */
async function loadInteractive<T>(load: () => Promise<T>): Promise<T> {
  const ciNames = Object.keys(process.env).filter((name) => name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_'))
  const saved = Object.fromEntries(['NODE_ENV', ...ciNames].map((name) => [name, process.env[name]]))
  for (const name of ciNames) delete process.env[name]
  process.env.NODE_ENV ||= 'production'
  try {
    return await load()
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

export async function monit(): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new CliError('tend monit needs a terminal; for scripts use tend list --json or tend logs --follow')
  }
  const client = await daemon()
  try {
    const [{ runMonit }, { clientSource }] = await loadInteractive(() =>
      Promise.all([import('../monit/run.js'), import('../dashboard/source.js')]),
    )
    const end = await runMonit({ source: clientSource(client), label: home(), color: !process.env.NO_COLOR })
    if (end === 'daemon-gone') throw new CliError('The tend daemon went away; monit has stopped')
  } finally {
    await client.close()
  }
}

export function monitCommand(): Command {
  return new Command('monit')
    .description('a live terminal dashboard: processes, CPU and memory, logs, and keys to act (h for help)')
    .action(monit)
}
