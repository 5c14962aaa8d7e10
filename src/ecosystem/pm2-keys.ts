/**
 * PM2's app keys (snake_case, and their aliases) and the tend spec key each
 * maps to. Keys PM2 knows but tend has no use for are listed so they are
 * reported as ignored, never silently dropped.
 */

/** PM2 (or alias) key → tend AppSpec key. */
export const PM2_KEY_MAP: Readonly<Record<string, string>> = {
  exec: 'script',
  exec_mode: 'mode',
  instances: 'instances',
  args: 'args',
  node_args: 'interpreterArgs',
  nodeArgs: 'interpreterArgs',
  interpreter_args: 'interpreterArgs',
  exec_interpreter: 'interpreter',
  env: 'env',
  max_memory_restart: 'maxMemoryRestart',
  max_restarts: 'maxRestarts',
  min_uptime: 'minUptime',
  restart_delay: 'restartDelay',
  exp_backoff_restart_delay: 'backoff',
  kill_timeout: 'killTimeout',
  kill_signal: 'killSignal',
  wait_ready: 'waitReady',
  listen_timeout: 'listenTimeout',
  shutdown_with_message: 'shutdownWithMessage',
  stop_exit_codes: 'stopExitCodes',
  cron_restart: 'cronRestart',
  cron: 'cronRestart',
  watch: 'watch',
  ignore_watch: 'ignoreWatch',
  watch_delay: 'watchDelay',
  instance_var: 'instanceVar',
  increment_var: 'incrementVar',
  out_file: 'outFile',
  out: 'outFile',
  output: 'outFile',
  error_file: 'errorFile',
  err_file: 'errorFile',
  error: 'errorFile',
  err: 'errorFile',
  log_file: 'logFile',
  log: 'logFile',
  merge_logs: 'mergeLogs',
  combine_logs: 'mergeLogs',
  log_date_format: 'logDateFormat',
  log_type: 'logType',
  disable_logs: 'disableLogs',
}

/** Keys PM2 knows that tend does not use: reported as ignored, with why. */
export const PM2_IGNORED_KEYS: Readonly<Record<string, string>> = {
  pid_file: 'tend keeps pids in memory',
  pid: 'tend keeps pids in memory',
  vizion: 'no version-control metadata in tend',
  autorestart_on_exit: 'not a PM2 option tend knows',
  force: 'the CLI restarts an app of the same name',
  source_map_support: 'use node_args: --enable-source-maps',
  disable_source_map_support: 'use node_args',
  filter_env: 'tend passes the environment as given',
  append_env_to_name: 'not supported',
  automation: 'no PM2.io',
  pmx: 'no PM2.io',
  deep_monitoring: 'no PM2.io',
  trace: 'no PM2.io',
  disable_trace: 'no PM2.io',
  post_update: 'no deploy hooks',
  uid: 'run tend as the user',
  gid: 'run tend as the group',
  user: 'run tend as the user',
  username: 'run tend as the user',
  windowsHide: 'tend runs on Linux and macOS',
  port: 'set PORT in env',
  version: 'informational only',
  max_memory_restart_unit: 'not supported',
  exec_watch: 'use watch',
  node_version: 'not supported',
  cron_restart_tz: 'not supported',
  appendEnvToName: 'not supported',
}

/** `env_production` → `'production'`; null for any other key. */
export function envBlockName(key: string): string | null {
  const match = /^env_(.+)$/.exec(key)
  return match ? match[1]! : null
}
