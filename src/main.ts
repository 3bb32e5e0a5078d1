import { runCli } from './cli';
import { formatFailure } from './errors';
import { processIo } from './io';
import { debugWanted } from './options';
import { versionLine } from './version';

/** The single place that writes errors and sets the process exit code. */
function report(e: unknown): number {
  const { text, code } = formatFailure(e, { debug: debugWanted(process.argv.slice(2), process.env), version: versionLine() });
  process.stderr.write(text);
  return code;
}

// A closed pipe (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

runCli(process.argv.slice(2), processIo).then(
  (code) => { process.exitCode = code; },
  (e) => { process.exitCode = report(e); },
);
