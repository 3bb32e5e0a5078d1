import type { Argv } from 'yargs';
import type { FleetSelection } from '../../fleet/select';
import { accept, checkInteger, refuse, type Checked, type Checks } from '../../kube/validate';
import { isCiFormat, type OutputFormat } from '../../render/structured';

/** A fleet run: which contexts, and how many are asked at once. */
export interface FleetArgs { selection: FleetSelection; concurrency: number }

export const DEFAULT_CONCURRENCY = 8;
const FLEET = 'Fleet (many clusters at once):';

export function addFleetOptions(y: Argv): Argv {
  return y
    .option('contexts-matching', { type: 'string', requiresArg: true, group: FLEET, describe: 'Every kubeconfig context whose name matches REGEX (also --context a,b,c: those contexts)' })
    .option('all-contexts', { type: 'boolean', group: FLEET, describe: 'Every context of the kubeconfig' })
    .option('concurrency', { type: 'string', requiresArg: true, group: FLEET, describe: `How many clusters are asked at once (default ${DEFAULT_CONCURRENCY})` });
}

/**
 * Connection flags that describe one cluster. Sent to every cluster of a fleet they would
 * hand one cluster's token to all the others, so a fleet run refuses them.
 */
const ONE_CLUSTER_FLAGS = ['server', 'cluster', 'user', 'token', 'certificate-authority', 'tls-server-name'] as const;

interface RawFleet {
  context?: string; 'contexts-matching'?: string; 'all-contexts'?: boolean; concurrency?: string; output?: OutputFormat;
  [flag: string]: unknown;
}

function checkPattern(p: string): Checked<RegExp> {
  try {
    return accept(new RegExp(p));
  } catch (e) {
    return refuse(`invalid value for --contexts-matching: ${(e as Error).message}`, 'a JavaScript regular expression, for example --contexts-matching "^prod-"');
  }
}

function checkList(text: string): Checked<string[]> {
  const names = text.split(',').map((n) => n.trim());
  return names.some((n) => !n) ? refuse(`--context ${text}: an empty context name in the list`, 'separate names with single commas: --context a,b,c') : accept(names);
}

function selectionOf(a: RawFleet, list: string | undefined, checks: Checks): FleetSelection | undefined {
  if (list !== undefined) {
    const names = checks.take(checkList(list));
    return names && { kind: 'list', names };
  }
  const pattern = a['contexts-matching'];
  if (pattern !== undefined) {
    const regex = checks.take(checkPattern(pattern));
    return regex && { kind: 'matching', pattern, regex };
  }
  return { kind: 'all' };
}

/**
 * The fleet flags, checked with the command's own: undefined for a one-cluster run. A single
 * `--context NAME` (no comma) is the global flag as before; a comma list makes a fleet run.
 * `solo`: the command's flags given that only make sense for one cluster (--watch, --save...).
 */
export function fleetArgs(a: RawFleet, checks: Checks, solo: string[]): FleetArgs | undefined {
  const list = a.context?.includes(',') ? a.context : undefined;
  const modes = [list !== undefined && '--context a,b', a['contexts-matching'] !== undefined && '--contexts-matching', a['all-contexts'] && '--all-contexts'].filter((m): m is string => !!m);
  if (!modes.length) {
    if (a.concurrency !== undefined) checks.take(refuse('--concurrency goes with a fleet run', 'add --context a,b, --contexts-matching REGEX or --all-contexts'));
    return undefined;
  }
  if (modes.length > 1) checks.take(refuse(`${modes.join(' and ')} both choose the contexts: give one`));
  else if (a.context !== undefined && list === undefined) checks.take(refuse(`--context ${a.context} names one context, ${modes[0]} a fleet: give one`));
  const given = ONE_CLUSTER_FLAGS.filter((f) => a[f] !== undefined).map((f) => `--${f}`);
  if (given.length) checks.take(refuse(`${given.join(', ')} describe${given.length === 1 ? 's' : ''} one cluster and cannot go to a fleet`, 'put each cluster\'s server and credentials in its kubeconfig context'));
  if (solo.length) checks.take(refuse(`${solo.join(', ')} work${solo.length === 1 ? 's' : ''} on one cluster, not a fleet`, 'drop it, or name one context: --context NAME'));
  if (a.output && isCiFormat(a.output)) checks.take(refuse(`-o ${a.output} reports one cluster`, 'a fleet run writes table, wide, json or yaml'));
  const concurrency = checks.optional(a.concurrency, (t) => checkInteger(t, '--concurrency', { min: 1, max: 64 })) ?? DEFAULT_CONCURRENCY;
  const selection = selectionOf(a, list, checks);
  return selection && { selection, concurrency };
}
