import fs from 'node:fs';
import path from 'node:path';
import { ExitCode, usageError } from '../../errors';
import type { Io } from '../../io';
import { addGlobalOptions, DEFAULT_NAMESPACE, type GlobalOptions } from '../../options';
import { COMMANDS } from '../registry';
import type { Outcome } from '../types';
import { complete, describeCommands, Directive, type Lookup } from './complete';
import type { CompleteArgs, CompletionArgs } from './index';
import { helperFileName, helperScript, shellScript } from './scripts';

/** Per-request limit for names from the cluster: completion must never hang a shell. */
const LOOKUP_TIMEOUT_MS = 2000;

async function isSea(): Promise<boolean> {
  try {
    return (await import('node:sea')).isSea();
  } catch {
    return false;
  }
}

/**
 * Where the helper goes by default: the directory kubectl ran the plugin from. kubectl
 * execs the PATH entry it found, so argv[0] (process.argv0) is e.g. ~/.krew/bin/kubectl-dhakacart,
 * a symlink; process.execPath is the resolved file in ~/.krew/store/..., which is not on
 * PATH. Falls back to a PATH search, then to the executable's own directory.
 */
export function defaultHelperDir(env: NodeJS.ProcessEnv = process.env, argv0 = process.argv0, execPath = process.execPath): string {
  if (argv0.includes('/') || argv0.includes('\\')) return path.dirname(path.resolve(argv0));
  const exe = process.platform === 'win32' ? 'kubectl-dhakacart.exe' : 'kubectl-dhakacart';
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, exe))) return dir;
  }
  return path.dirname(execPath);
}

/** What completion prints: `out` on stdout, `notes` on stderr. */
export interface CompletionOutput { out: string; notes: string[] }

export function renderCompletion(r: CompletionOutput, io: Io): void {
  io.out(r.out);
  for (const n of r.notes) io.err(`${n}\n`);
}

export async function runCompletion(_g: GlobalOptions, a: CompletionArgs): Promise<Outcome<CompletionOutput>> {
  if (a.shell !== 'install') return { result: { out: shellScript(a.shell), notes: [] }, exitCode: ExitCode.ok };
  let dir = a.dir;
  if (!dir) {
    if (!(await isSea())) throw usageError('not running as the single executable: say where the helper goes', 'pass --dir DIR (a directory on PATH)');
    dir = defaultHelperDir();
  }
  dir = path.resolve(dir);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw usageError(`${dir} is not a directory`, 'pass --dir DIR (an existing directory on PATH)');
  const file = path.join(dir, helperFileName());
  try {
    fs.writeFileSync(`${file}.tmp-${process.pid}`, helperScript(), { mode: 0o755 });
    fs.chmodSync(`${file}.tmp-${process.pid}`, 0o755);
    fs.renameSync(`${file}.tmp-${process.pid}`, file);
  } catch (e) {
    fs.rmSync(`${file}.tmp-${process.pid}`, { force: true });
    throw usageError(`cannot write ${file}: ${(e as Error).message}`, 'pass --dir DIR (a writable directory on PATH)');
  }
  const onPath = (process.env.PATH ?? '').split(path.delimiter).some((d) => d && path.resolve(d) === dir);
  const notes = [
    ...(onPath ? [] : [`warning: ${dir} is not on PATH; kubectl finds ${helperFileName()} only on PATH`]),
    'kubectl dhakacart <TAB> now completes, with kubectl >= 1.26 and kubectl\'s own shell completion enabled (kubectl completion --help)',
  ];
  return { result: { out: `wrote ${file}\n`, notes }, exitCode: ExitCode.ok };
}

/** Words after `__complete`, whatever yargs did with them (`--` puts them in `_`). */
function wordsOf(a: CompleteArgs): string[] {
  const rest = a._.map(String);
  const i = rest.indexOf('__complete');
  return [...(a.words ?? []).map(String), ...(i >= 0 ? rest.slice(i + 1) : rest)];
}

const lookup: Lookup = async (kind, conn) => {
  const { listNames } = await import('../../cluster/names');
  return listNames(kind, { ...conn, namespace: conn.namespace || process.env.DHAKACART_NAMESPACE || DEFAULT_NAMESPACE }, LOOKUP_TIMEOUT_MS);
};

export async function runComplete(_g: GlobalOptions, a: CompleteArgs): Promise<Outcome<CompletionOutput>> {
  let result;
  try {
    const model = describeCommands(COMMANDS, (y) => addGlobalOptions(y));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), 3 * LOOKUP_TIMEOUT_MS); });
    try {
      result = await Promise.race([complete(wordsOf(a), model, lookup), deadline]);
    } finally {
      clearTimeout(timer);
    }
  } catch {
    result = { candidates: [], directive: Directive.noFileComp };
  }
  return { result: { out: result.candidates.map((c) => `${c}\n`).join('') + `:${result.directive}\n`, notes: [] }, exitCode: ExitCode.ok };
}
