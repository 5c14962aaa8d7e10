import type { ExitReason } from '../types.js'

/** Why a trigger asks for a restart; also the `reason` of the `process:exit` it causes. */
export type TriggerReason = Extract<ExitReason, 'memory' | 'cron' | 'watch'>
