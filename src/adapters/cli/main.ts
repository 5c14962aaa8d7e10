#!/usr/bin/env node
/** The `tend` executable: parses the command line and reports a failure as one line and exit code 1. */
import { describeError } from './context.js'
import { buildProgram } from './program.js'

buildProgram()
  .parseAsync(process.argv)
  .then(() => {
    // Verbs close what they open, so the process ends on its own; this only sets the status.
    process.exitCode ??= 0
  })
  .catch((error: unknown) => {
    process.stderr.write(`tend: ${describeError(error).split('\n').join('\n  ')}\n`)
    process.exit(1)
  })
