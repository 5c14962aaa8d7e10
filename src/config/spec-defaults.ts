/**
 * Every key an AppSpec may have, with its default where it has one: the one
 * table of spec defaults. A nested option's own defaults (`backoff: true`,
 * `rotate: true`) live with the feature that owns it.
 */
export const SPEC_DEFAULTS = {
  name: undefined,
  script: undefined,
  args: [] as readonly string[],
  interpreter: undefined,
  interpreterArgs: [] as readonly string[],
  cwd: undefined,
  env: {},
  namespace: 'default',
  mode: 'fork',
  instances: 1,
  autostart: true,
  autorestart: true,
  stopExitCodes: [] as readonly number[],
  minUptime: 1000,
  maxRestarts: 16,
  restartDelay: 0,
  backoff: false,
  maxMemoryRestart: undefined,
  cronRestart: undefined,
  watch: false,
  ignoreWatch: [] as readonly string[],
  watchDelay: 1000,
  killSignal: 'SIGINT',
  killTimeout: 1600,
  treekill: true,
  shutdownWithMessage: false,
  waitReady: false,
  listenTimeout: 3000,
  instanceVar: 'NODE_APP_INSTANCE',
  incrementVar: undefined,
  listen: undefined,
  // logs
  outFile: undefined,
  errorFile: undefined,
  logFile: undefined,
  mergeLogs: false,
  time: false,
  logDateFormat: undefined,
  logType: 'text',
  disableLogs: false,
  rotate: true,
  // health
  probes: undefined,
  dependsOn: undefined,
  group: undefined,
  // tend runtime
  critical: false,
} as const

/** The name of a top-level spec option. */
export type SpecOption = keyof typeof SPEC_DEFAULTS

export const SPEC_KEYS: readonly string[] = Object.keys(SPEC_DEFAULTS)
