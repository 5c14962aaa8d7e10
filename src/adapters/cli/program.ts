/** The `tend` command line: verbs and options, mapped onto the verb modules. */
import { Command, Option } from 'commander'
import { VERSION } from '../../version.js'
import * as daemonVerbs from './daemon-verbs.js'
import * as processVerbs from './process-verbs.js'
import { registerApplyVerbs } from './apply-verbs-program.js'
import * as reportVerbs from './report-verbs.js'
import { runtime } from './runtime-verb.js'
import { startup } from './startup-verb.js'

const json = (): Option => new Option('--json', 'print JSON instead of text')

export function buildProgram(): Command {
  const program = new Command('tend')
    .description('tend: an embeddable process supervisor for Node.js')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run tend --help for usage)')

  program
    .command('start')
    .description('start a script or the apps of an ecosystem file (an app that already runs is restarted)')
    .argument('<script|ecosystem>', 'a script, or an ecosystem file (.js, .cjs, .mjs, .json, .json5, .yml, .yaml with apps)')
    .argument('[args...]', 'arguments for the script (after --)')
    .option('-n, --name <name>', 'app name (default: the script name)')
    .option('-i, --instances <n>', "number of instances, or 'max'; on a node script this means cluster mode, as in PM2")
    .option('--fork', 'keep fork mode with -i')
    .option('--watch', 'restart on file changes in the cwd')
    .option('--env <name>', 'merge the env_<name> block of each app (ecosystem files)')
    .option('--only <apps>', 'only these apps of an ecosystem file (comma-separated)')
    .option('--namespace <namespace>', 'namespace of the app(s)')
    .option('--interpreter <command>', 'interpreter: node, none (run a binary), python3, …')
    .option('--node-args <args>', 'arguments for the interpreter')
    .option('--cwd <dir>', 'working directory of the app')
    .option('-f, --force', 'replace an app of the same name that runs another script')
    .addOption(json())
    .action((file: string, args: string[], options: processVerbs.StartOptions) => processVerbs.start(file, args, options))

  for (const verb of ['stop', 'restart', 'reload', 'delete'] as const) {
    const what = { stop: 'stop', restart: 'restart', reload: 'reload with zero downtime', delete: 'stop and forget' }[verb]
    const command = program
      .command(verb)
      .description(`${what} processes: an id, app name, namespace, 'all', or a comma-separated list`)
      .argument('<target>')
      .addOption(json())
    if (verb === 'restart' || verb === 'reload') command.option('--update-env', "merge this shell's environment over the app's (as PM2)")
    command.action((target: string, options: { json?: boolean; updateEnv?: boolean }) => processVerbs.targetVerb(verb, target, options))
  }
  registerApplyVerbs(program)

  program
    .command('scale')
    .description('set the number of instances of an app: n, +n or -n')
    .argument('<name>')
    .argument('<count>')
    .addOption(json())
    .action((name: string, count: string, options: { json?: boolean }) => processVerbs.scale(name, count, options))

  program
    .command('list')
    .alias('ls')
    .description('list every process')
    .addOption(json())
    .action((options: { json?: boolean }) => reportVerbs.list(options))

  program
    .command('describe')
    .description('show everything about the processes of a target (secret-looking env values hidden)')
    .argument('<target>')
    .option('--env', 'also show the complete environment each process runs with')
    .addOption(json())
    .action((target: string, options: { json?: boolean; env?: boolean }) => reportVerbs.describe(target, options))

  program
    .command('logs')
    .description('show recent output (and follow it with --follow)')
    .argument('[target]')
    .option('--lines <n>', 'how many recent lines', '20')
    .option('-f, --follow', 'keep printing new lines until interrupted')
    .option('--err', 'only stderr')
    .option('--out', 'only stdout')
    .addOption(json())
    .action((target: string | undefined, options: reportVerbs.LogsOptions) => reportVerbs.logs(target, options))

  program
    .command('flush')
    .description('empty the log files of a target (all by default)')
    .argument('[target]')
    .addOption(json())
    .action((target: string | undefined, options: { json?: boolean }) => processVerbs.flush(target, options))

  program
    .command('reload-logs')
    .description('close and reopen every log file (after an external logrotate renamed them; SIGUSR2 to the daemon does the same)')
    .addOption(json())
    .action((options: { json?: boolean }) => processVerbs.reloadLogs(options))

  program
    .command('signal')
    .description('send a signal to the processes of a target')
    .argument('<signal>', 'SIGUSR2, USR2, …')
    .argument('<target>')
    .addOption(json())
    .action((signal: string, target: string, options: { json?: boolean }) => processVerbs.signal(signal, target, options))

  program
    .command('save')
    .description('save the running apps to TEND_HOME/dump.json (the previous one is kept as dump.json.bak)')
    .option('--force', 'save even when nothing runs and the dump has apps')
    .addOption(json())
    .action(daemonVerbs.save)
  program.command('resurrect').description('start the saved apps that do not run').addOption(json()).action(daemonVerbs.resurrect)
  program.command('kill').description('stop every process gracefully, then the daemon').addOption(json()).action(daemonVerbs.kill)
  program.command('ping').description('start the daemon if needed and report it').addOption(json()).action(daemonVerbs.ping)

  program
    .command('daemon')
    .description('run the daemon in the foreground (the CLI starts it on its own; systemd runs this)')
    .option('--resurrect', 'start the saved apps once up')
    .action((options: { resurrect?: boolean }) => daemonVerbs.runDaemon(options))

  program
    .command('startup')
    .description('print (or --write) a systemd unit that runs the daemon and resurrects on boot')
    .argument('[system]', 'init system', 'systemd')
    .option('--write', 'install the unit file instead of printing it')
    .option('--unit-path <path>', 'where --write puts the unit (default: the systemd user or system directory)')
    .action(startup)

  program
    .command('runtime')
    .description('run the apps of an ecosystem file in the foreground, for containers and systemd (no daemon)')
    .argument('<ecosystem>')
    .option('--env <name>', 'merge the env_<name> block of each app')
    .option('--only <apps>', 'only these apps (comma-separated)')
    .option('--json', 'log one JSON object per line')
    .option('--health-port <port>', 'serve /healthz, /readyz and /metrics on this port')
    .option('--health-host <host>', 'address for the health server', '0.0.0.0')
    .action(runtime)

  return program
}
