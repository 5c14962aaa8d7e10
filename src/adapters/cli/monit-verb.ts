/**
 * `tend monit`: the live terminal dashboard of the daemon. Ink and React
 * are loaded here and nowhere else, so no other verb (and no library user)
 * pays for them.
 */
import { Command } from 'commander'
import { CliError, daemon, home } from './context.js'

/**
 * Ink draws only a last frame when it believes it runs in CI (the CI
 * variable, read once when Ink loads). A person at a terminal wants the live
 * screen whatever their environment says, so CI is hidden while Ink loads.
 */
async function loadInteractive<T>(load: () => Promise<T>): Promise<T> {
  const saved = process.env.CI
  process.env.CI = 'false'
  try {
    return await load()
  } finally {
    if (saved === undefined) delete process.env.CI
    else process.env.CI = saved
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
