/** Registers `apply`, `startOrRestart`, `startOrReload` and `startOrGracefulReload` on the program. */
import { Option, type Command } from 'commander'
import { applyVerb, startOr, type ApplyVerbOptions } from './apply-verbs.js'

export function registerApplyVerbs(program: Command): void {
  const json = (): Option => new Option('--json', 'print JSON instead of text')
  program
    .command('apply')
    .description(
      'make the apps of an ecosystem file the desired state: print a diff per app, then start, reload, restart or scale what differs',
    )
    .argument('<ecosystem>')
    .option('--env <name>', 'merge the env_<name> block of each app')
    .option('--only <apps>', 'only these apps (comma-separated)')
    .option('--dry-run', 'print the diff and the plan; change nothing')
    .option('--prune', 'delete running apps the file does not have')
    .addOption(json())
    .action((file: string, options: ApplyVerbOptions) => applyVerb(file, options))

  const verbs = [
    ['startOrRestart', 'restart', 'start the apps of an ecosystem file that do not run, restart the others (with the file applied)'],
    ['startOrReload', 'reload', 'start the apps of an ecosystem file that do not run, reload the others (with the file applied)'],
    ['startOrGracefulReload', 'reload', 'as startOrReload (every tend reload is graceful)'],
  ] as const
  for (const [name, verb, description] of verbs) {
    program
      .command(name)
      .description(description)
      .argument('<ecosystem>')
      .option('--env <name>', 'merge the env_<name> block of each app')
      .option('--only <apps>', 'only these apps (comma-separated)')
      .option('--update-env', "accepted as in PM2: the apps always get this shell's environment with the file's env over it")
      .addOption(json())
      .action((file: string, options: { env?: string; only?: string; json?: boolean }) => startOr(verb, file, options))
  }
}
