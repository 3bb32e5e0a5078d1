import { runCli } from './cli';
import { EXIT_SIGINT, EXIT_SIGTERM, interrupt, interrupted } from './cluster/interrupt';
import { formatFailure } from './errors';
import { processIo } from './io';
import { debugWanted } from './options';
import { sanitizeErrorText } from './security/sanitize';
import { versionLine } from './version';

/** The single place that writes errors and sets the process exit code. */
function report(e: unknown): number {
  const { text, code } = formatFailure(e, { debug: debugWanted(process.argv.slice(2), process.env), version: versionLine() });
  process.stderr.write(sanitizeErrorText(text));
  return code;
}

// A closed pipe (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

// Ctrl-C/SIGTERM abort every request and wait; the command gets a moment to say what it
// left behind, then the process ends with the shell's 128+signal code whatever is pending.
let signalExit = 0;
for (const [sig, code] of [['SIGINT', EXIT_SIGINT], ['SIGTERM', EXIT_SIGTERM]] as const) {
  process.once(sig, () => { signalExit = code; interrupt(); setTimeout(() => process.exit(code), 800).unref(); });
}

runCli(process.argv.slice(2), processIo).then(
  (code) => { process.exitCode = code; },
  (e) => { const code = report(e); process.exitCode = interrupted() ? signalExit : code; },
).finally(() => { if (interrupted()) process.exit(signalExit); });
