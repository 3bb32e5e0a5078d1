import { isVersionRequest, versionLine } from './version';

// The plugin starts in every CI step: `--version` is answered before any other module runs
// (yargs and every command's flags cost 70 ms of CPU at start-up, the whole answer needs none).
const argv = process.argv.slice(2);
if (isVersionRequest(argv)) process.stdout.write(versionLine());
else void main(argv);

/** The single place that writes errors and sets the process exit code. */
async function main(args: string[]): Promise<void> {
  const [{ runCli }, { EXIT_SIGINT, EXIT_SIGTERM, interrupt, interrupted }, { formatFailure }, { processIo }, { debugWanted }, { sanitizeErrorText }] = await Promise.all([
    import('./cli'), import('./cluster/interrupt'), import('./errors'), import('./io'), import('./options'), import('./security/sanitize'),
  ]);
  const report = (e: unknown): number => {
    const { text, code } = formatFailure(e, { debug: debugWanted(args, process.env), version: versionLine() });
    process.stderr.write(sanitizeErrorText(text));
    return code;
  };

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

  await runCli(args, processIo).then(
    (code) => { process.exitCode = code; },
    (e) => { const code = report(e); process.exitCode = interrupted() ? signalExit : code; },
  ).finally(() => { if (interrupted()) process.exit(signalExit); });
}
