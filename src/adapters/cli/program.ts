/** The `tend` command line: verbs and options, mapped onto the verb modules. */
import { Command, Option } from 'commander'
import { VERSION } from '../../version.js'
import * as daemonVerbs from './daemon-verbs.js'
import { dashboardCommand } from './dashboard-verb.js'
import { monitCommand } from './monit-verb.js'
import * as processVerbs from './process-verbs.js'
import { registerApplyVerbs } from './apply-verbs-program.js'
import * as reportVerbs from './report-verbs.js'
import { controlVerbs } from './control-verbs.js'
import { inspectVerbs } from './inspect-verbs.js'
import { logs, type LogsOptions } from './logs-verb.js'
import { runtime } from './runtime-verb.js'
import { setupVerbs } from './setup-verbs.js'
import { startFlagOptions } from './start-options.js'
import { startup } from './startup-verb.js'
import { registerTrigger } from './trigger-verb.js'
import { registerMetrics } from './metrics-verb.js'

const json = (): Option => new Option('--json', 'print JSON instead of text')
const noColor = (): Option => new Option('--no-color', 'no colour (NO_COLOR=1 does the same)')

export function buildProgram(): Command {
  const program = new Command('tend')
    .description('tend: an embeddable process supervisor for Node.js')
    .version(VERSION, '-v, --version')
    // main.ts reports commander's failures as one line with a code, like every other failure.
    .exitOverride()
    .configureOutput({ outputError: () => undefined })

  const start = program
    .command('start')
    .description('start a script or the apps of an ecosystem file (an app that already runs is restarted)')
    .argument('<script|ecosystem>', 'a script, or an ecosystem file (.js, .cjs, .mjs, .json, .json5, .yml, .yaml with apps)')
    .argument('[args...]', 'arguments for the script (after --)')
    .option('-n, --name <name>', 'app name (default: the script name)')
    .option('-i, --instances <n>', "number of instances, or 'max'; on a node script this means cluster mode, as in PM2")
    .option('--fork', 'keep fork mode with -i')
    .option('-x, --execute-command', "fork mode (PM2's flag; the same as --fork)")
    .option('--watch [paths]', 'restart on file changes in the cwd, or in these comma-separated paths')
    .option('--env <name>', 'merge the env_<name> block of each app (ecosystem files)')
    .option('--only <apps>', 'only these apps of an ecosystem file (comma-separated)')
    .option('--namespace <namespace>', 'namespace of the app(s)')
    .option('--interpreter <command>', 'interpreter: node, none (run a binary), python3, …')
    .option('--node-args <args>', 'arguments for the interpreter')
    .option('--interpreter-args <args>', 'arguments for the interpreter (alias of --node-args)')
    .option('--source-map-support', 'run node with --enable-source-maps')
    .option('-l, --log [path]', 'one file for stdout and stderr (TEND_HOME/logs/<name>.log without a path)')
    .option('--cwd <dir>', 'working directory of the app')
    .option('-s, --silent', 'print nothing on success')
    .option('-f, --force', 'replace an app of the same name that runs another script')
    .addOption(json())
  for (const option of startFlagOptions()) start.addOption(option)
  start.action((file: string, args: string[], options: processVerbs.StartOptions) => processVerbs.start(file, args, options))

  for (const verb of ['stop', 'restart', 'reload', 'delete'] as const) {
    const what = { stop: 'stop', restart: 'restart', reload: 'reload with zero downtime', delete: 'stop and forget' }[verb]
    const command = program
      .command(verb)
      .description(`${what} processes: an id, app name, namespace, 'all', or a comma-separated list`)
      .argument('<target>')
      .addOption(json())
    if (verb === 'restart' || verb === 'reload')
      command.option('-a, --update-env', "merge this shell's environment over the app's (as PM2)")
    command.action((target: string, options: { json?: boolean; updateEnv?: boolean }) => processVerbs.targetVerb(verb, target, options))
    if (verb === 'delete') command.alias('del')
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
    .aliases(['ls', 'l', 'ps', 'status'])
    .description('list every process')
    .option('-m, --mini-list', 'a short block per process, no table')
    .option('--sort <field[:order]>', 'sort by id, name, namespace, pid, status, uptime, restarts, cpu or memory (:asc or :desc)')
    .addOption(noColor())
    .addOption(json())
    .action((options: reportVerbs.ListOptions) => reportVerbs.list(options))

  program
    .command('describe')
    .aliases(['show', 'info', 'desc'])
    .description('status, restarts, last exit, policy, triggers and log files of the processes of a target')
    .argument('<target>')
    .option('--env', 'also print the complete environment each process runs with (secret-looking values as [redacted])')
    .addOption(noColor())
    .addOption(json())
    .action((target: string, options: { json?: boolean; env?: boolean; color?: boolean }) => reportVerbs.describe(target, options))

  program
    .command('logs')
    .description('the last lines of each process (from memory, or from its log files), then new ones with --follow')
    .argument('[target]')
    .option('--lines <n>', 'how many recent lines per process', '20')
    .option('-f, --follow', 'keep printing new lines until interrupted')
    .option('--nostream', 'print the recent lines and end (the default; PM2 streams unless given this)')
    .option('--err', 'only stderr')
    .option('--out', 'only stdout')
    .option('--raw', 'the lines alone, without id and name')
    .option('--timestamp [format]', 'prefix lines with their time (ISO 8601, or a format such as YYYY-MM-DD HH:mm:ss)')
    .addOption(json())
    .action((target: string | undefined, options: LogsOptions) => logs(target, options))

  program
    .command('flush')
    .description('empty the log files of a target (all by default)')
    .argument('[target]')
    .addOption(json())
    .action((target: string | undefined, options: { json?: boolean }) => processVerbs.flush(target, options))

  program
    .command('reload-logs')
    .alias('reloadLogs')
    .description('close and reopen every log file (after an external logrotate renamed them; SIGUSR2 to the daemon does the same)')
    .addOption(json())
    .action((options: { json?: boolean }) => processVerbs.reloadLogs(options))

  program
    .command('signal')
    .alias('sendSignal')
    .description('send a signal to the processes of a target')
    .argument('<signal>', 'SIGUSR2, USR2, …')
    .argument('<target>')
    .addOption(json())
    .action((signal: string, target: string, options: { json?: boolean }) => processVerbs.signal(signal, target, options))

  program
    .command('save')
    .alias('dump')
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
    .option('--metrics-port <port>', 'serve Prometheus /metrics on this port (or TEND_METRICS_PORT)')
    .option('--metrics-host <host>', 'address for --metrics-port (or TEND_METRICS_HOST; default 127.0.0.1)')
    .action((options: { resurrect?: boolean; metricsPort?: string; metricsHost?: string }) => daemonVerbs.runDaemon(options))

  program
    .command('startup')
    .description('print (or --write) a systemd unit that runs the daemon and resurrects on boot')
    .argument('[system]', 'init system', 'systemd')
    .option('--write', 'install the unit file instead of printing it')
    .option('--unit-path <path>', 'where --write puts the unit (default: the systemd user or system directory)')
    .option('--service-name <name>', 'the unit name (default tend, or tend-<user> as root)')
    .action(startup)

  program
    .command('runtime')
    .description('run the apps of an ecosystem file in the foreground, for containers and systemd (no daemon)')
    .argument('<ecosystem>')
    .option('--env <name>', 'merge the env_<name> block of each app')
    .option('--only <apps>', 'only these apps (comma-separated)')
    .option('--json', 'log one JSON object per line')
    .option('--exit-on-end', 'exit (0 when all ended cleanly) once every app has ended, instead of staying up')
    .option('--health-port <port>', 'serve /healthz, /readyz and /metrics on this port')
    .option('--health-host <host>', 'address for the health server', '0.0.0.0')
    .option('--dashboard-port <port>', 'serve the web dashboard on this port (the URL with its token is printed)')
    .option('--dashboard-host <host>', 'address for the dashboard (beyond loopback prints a warning)', '127.0.0.1')
    .action(runtime)

  inspectVerbs(program)
  controlVerbs(program)
  setupVerbs(program)
  registerTrigger(program)
  registerMetrics(program)
  program.addCommand(monitCommand())
  program.addCommand(dashboardCommand())

  return program
}
