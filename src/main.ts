import { runCli } from './cli';
import { CliError, exitCodeFor } from './errors';
import { processIo } from './io';
import { sanitizeErrorText } from './security/sanitize';

/** The single place that writes errors and sets the process exit code. */
function report(e: unknown): number {
  if (e instanceof CliError) {
    process.stderr.write(sanitizeErrorText(`error: ${e.message}\n`));
    if (e.hint) process.stderr.write(sanitizeErrorText(`hint: ${e.hint}\n`));
    return exitCodeFor(e.kind);
  }
  process.stderr.write(`internal error: ${(e as Error)?.stack ?? String(e)}\n`);
  return exitCodeFor('internal');
}

// A closed pipe (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

runCli(process.argv.slice(2), processIo).then(
  (code) => { process.exitCode = code; },
  (e) => { process.exitCode = report(e); },
);
