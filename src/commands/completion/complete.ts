// The completer behind `__complete`: words typed so far + the word being completed ->
// candidates and a Cobra ShellCompDirective. Pure except for `lookup`, which asks the
// cluster for names (pods, deployments, namespaces) or the kubeconfig for contexts.
import yargs, { type Argv } from 'yargs';
import type { Connection, NameKind } from '../../cluster/names';
import { isCiFormat, type OutputFormat } from '../../render/structured';
import type { CommandSpec } from '../types';

/** Cobra's ShellCompDirective values kubectl understands (plugin_completion.go). */
export const Directive = { default: 0, error: 1, noSpace: 2, noFileComp: 4 } as const;

export type Lookup = (kind: NameKind, conn: Connection) => Promise<string[]>;

interface FlagInfo { names: string[]; takesValue: boolean; choices?: string[]; negatable: boolean }
interface CommandInfo { name: string; positionals: string[]; positionalChoices: Record<string, string[]>; flags: FlagInfo[]; outputs: readonly string[] }

interface YargsOptions {
  key: Record<string, boolean>; alias: Record<string, string[]>; boolean: string[]; count: string[];
  choices: Record<string, string[]>; hiddenOptions: string[]; default: Record<string, unknown>;
}

function flagsOf(y: Argv, positionals: string[]): FlagInfo[] {
  const o = (y as unknown as { getOptions(): YargsOptions }).getOptions();
  const aliasOf = new Set(Object.values(o.alias).flat());
  const flags: FlagInfo[] = [];
  for (const key of Object.keys(o.key)) {
    if (aliasOf.has(key) || positionals.includes(key) || key === 'version' || o.hiddenOptions.includes(key)) continue;
    const bool = o.boolean.includes(key) || o.count.includes(key);
    flags.push({ names: [key, ...(o.alias[key] ?? [])], takesValue: !bool, choices: o.choices[key], negatable: bool && o.default[key] === true });
  }
  return flags;
}

/** The flags and positionals of every visible command, read from their yargs builders. */
export function describeCommands(commands: CommandSpec<never>[], addGlobals: (y: Argv) => Argv): { globals: FlagInfo[]; commands: CommandInfo[] } {
  const globals = flagsOf(addGlobals(yargs()), []);
  const globalKeys = new Set(globals.flatMap((f) => f.names));
  const out: CommandInfo[] = [];
  for (const spec of commands) {
    if (typeof spec.describe !== 'string') continue; // hidden
    const [name, ...rest] = spec.command.split(' ');
    const positionals = rest.map((p) => p.replace(/[<>[\].]/g, ''));
    const y = spec.builder(yargs());
    const o = (y as unknown as { getOptions(): YargsOptions }).getOptions();
    const positionalChoices = Object.fromEntries(positionals.filter((p) => o.choices[p]).map((p) => [p, o.choices[p].map(String)]));
    out.push({ name, positionals, positionalChoices, flags: flagsOf(y, positionals).filter((f) => !f.names.some((n) => globalKeys.has(n))), outputs: spec.outputs ?? [] });
  }
  return { globals, commands: out };
}

const dashed = (n: string) => (n.length === 1 ? `-${n}` : `--${n}`);

/** Names for a positional argument, by its name in the command string. */
const POSITIONAL_NAMES: Record<string, NameKind[]> = { target: ['deployments', 'pods'], deployment: ['deployments', 'pods'], pod: ['pods'] };
/** Names for a flag's value. */
const FLAG_NAMES: Record<string, NameKind> = { namespace: 'namespaces', context: 'contexts' };

export interface CompletionResult { candidates: string[]; directive: number }

export async function complete(
  args: string[],
  model: { globals: FlagInfo[]; commands: CommandInfo[] },
  lookup: Lookup,
): Promise<CompletionResult> {
  const cur = args.length ? args[args.length - 1] : '';
  const words = args.slice(0, -1);
  const conn: Connection = {};
  let cmd: CommandInfo | undefined;
  const positionals: string[] = [];
  let pending: FlagInfo | undefined;
  let afterDashDash = false;

  const findFlag = (name: string) => [...model.globals, ...(cmd?.flags ?? [])].find((f) => f.names.includes(name) || (f.negatable && name === `no-${f.names[0]}`));
  const remember = (f: FlagInfo, value: string) => {
    if (f.names[0] === 'kubeconfig') conn.kubeconfig = value;
    else if (f.names[0] === 'context') conn.context = value;
    else if (f.names[0] === 'namespace') conn.namespace = value;
  };

  for (const w of words) {
    if (pending) { remember(pending, w); pending = undefined; continue; }
    if (!afterDashDash && w === '--') { afterDashDash = true; continue; }
    if (!afterDashDash && w.startsWith('-') && w.length > 1) {
      const body = w.replace(/^--?/, '');
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : w.startsWith('--') ? body : body[0];
      const f = findFlag(name);
      if (f?.takesValue) {
        const inline = eq >= 0 ? body.slice(eq + 1) : !w.startsWith('--') && body.length > 1 ? body.slice(1) : undefined;
        if (inline === undefined) pending = f;
        else remember(f, inline);
      }
      continue;
    }
    if (!cmd) cmd = model.commands.find((c) => c.name === w);
    else positionals.push(w);
    if (!cmd && positionals.length === 0) return { candidates: [], directive: Directive.noFileComp }; // unknown command
  }

  const names = async (kinds: NameKind[], prefix = ''): Promise<string[]> => {
    const all: string[] = [];
    for (const k of kinds) {
      const got = await lookup(k, conn).catch(() => [] as string[]);
      all.push(...got.map((n) => (k === 'deployments' && kinds.length > 1 ? `deployment/${n}` : n)));
    }
    return all.map((n) => prefix + n);
  };
  const only = (xs: string[], p = cur) => [...new Set(xs)].filter((x) => x.startsWith(p));

  // A flag's value: "-o <TAB>" or "--output=<TAB>".
  let valueFlag = pending;
  let valuePrefix = '';
  if (!valueFlag && cur.startsWith('--') && cur.includes('=')) {
    const f = findFlag(cur.slice(2, cur.indexOf('=')));
    if (f?.takesValue) { valueFlag = f; valuePrefix = cur.slice(0, cur.indexOf('=') + 1); }
  }
  if (valueFlag) {
    const key = valueFlag.names[0];
    if (key === 'kubeconfig' || key === 'save' || key === 'from-file' || key === 'dir' || key === 'filename') return { candidates: [], directive: Directive.default };
    let vals: string[] = valueFlag.choices ?? [];
    // -o sarif|junit only where the command writes them (check).
    if (key === 'output') vals = vals.filter((v) => !isCiFormat(v as OutputFormat) || !!cmd?.outputs.includes(v));
    if (FLAG_NAMES[key]) vals = await names([FLAG_NAMES[key]]);
    return { candidates: only(vals.map((v) => valuePrefix + v)), directive: Directive.noFileComp };
  }

  if (cur.startsWith('-') && !afterDashDash) {
    const flags = [...model.globals, ...(cmd?.flags ?? [])];
    const out: string[] = [];
    for (const f of flags) {
      out.push(...f.names.filter((n) => n.length > 1).map(dashed));
      if (f.negatable) out.push(`--no-${f.names[0]}`);
      if (cur.length <= 2) out.push(...f.names.filter((n) => n.length === 1).map(dashed));
    }
    return { candidates: only(out), directive: Directive.noFileComp };
  }

  if (!cmd) return { candidates: only(model.commands.map((c) => c.name)), directive: Directive.noFileComp };
  const pname = cmd.positionals[positionals.length];
  if (!pname) return { candidates: [], directive: Directive.noFileComp };
  if (cmd.positionalChoices[pname]) return { candidates: only(cmd.positionalChoices[pname]), directive: Directive.noFileComp };
  const kinds = POSITIONAL_NAMES[pname];
  return { candidates: kinds ? only(await names(kinds)) : [], directive: Directive.noFileComp };
}
