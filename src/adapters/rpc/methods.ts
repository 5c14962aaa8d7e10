/**
 * The explicit allow-list of Supervisor methods the RPC server exposes, with
 * how many params each takes. Nothing else on the Supervisor is reachable.
 */

/** Supervisor methods callable over RPC, and the most params each accepts. */
export const SUPERVISOR_METHODS = {
  start: 2,
  stop: 2,
  restart: 2,
  reload: 2,
  scale: 3,
  delete: 2,
  list: 0,
  describe: 1,
  signal: 3,
  send: 3,
  sendLine: 3,
  reset: 2,
  logs: 2,
  waitFor: 3,
  flushLogs: 2,
  reopenLogs: 1,
  apply: 2,
  environment: 1,
  metrics: 1,
  prometheus: 0,
  invoke: 4,
  defineGroups: 1,
  groups: 0,
} as const

export type SupervisorMethod = keyof typeof SUPERVISOR_METHODS

/** Methods that need at least one param (a target or specs). */
export const REQUIRED_PARAMS: Readonly<Partial<Record<SupervisorMethod, number>>> = {
  start: 1,
  stop: 1,
  restart: 1,
  reload: 1,
  scale: 2,
  delete: 1,
  describe: 1,
  signal: 2,
  send: 2,
  sendLine: 2,
  reset: 1,
  waitFor: 2,
  apply: 1,
  environment: 1,
  invoke: 2,
  defineGroups: 1,
}
