#!/usr/bin/env node
/**
 * The `tend` executable: parses the command line and reports a failure as one
 * line on stderr with its code (and a JSON object on stdout under --json).
 * A reader that goes away (`tend logs | head -1`) ends the command quietly.
 */
import { CommanderError } from 'commander'
import { CliError } from '../../errors.js'
import { describeError, errorCode, exitCodeOf } from './context.js'
import { buildProgram } from './program.js'

/** EPIPE on stdout or stderr: whoever read our output is gone, so there is nothing left to say. */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
}
endQuietlyOnClosedPipe(process.stdout)
endQuietlyOnClosedPipe(process.stderr)

/** Commander's own failures (unknown option, missing argument…) become a CliError with exit status 2. */
function fromCommander(error: unknown): unknown {
  if (!(error instanceof CommanderError)) return error
  const message = error.message.replace(/^error:\s*/, '')
  return new CliError(`${message}; see tend --help`, { exitCode: 2 })
}

function fail(error: unknown): void {
  const failure = fromCommander(error)
  if (process.argv.includes('--json')) {
    const message = failure instanceof Error ? failure.message : String(failure)
    process.stdout.write(`${JSON.stringify({ error: { code: errorCode(failure), message } })}\n`)
  }
  process.stderr.write(`tend: ${describeError(failure)}\n`)
  process.exit(exitCodeOf(failure))
}

buildProgram()
  .parseAsync(process.argv)
  .then(() => {
    // Verbs close what they open, so the process ends on its own; this only sets the status.
    process.exitCode ??= 0
  })
  .catch((error: unknown) => {
    // --help and --version end through the same path, with status 0.
    if (error instanceof CommanderError && error.exitCode === 0) process.exit(0)
    fail(error)
  })
