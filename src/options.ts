import type { Argv } from 'yargs';
import type { ConnectionFlags } from './cluster/kubeconfig';
import { checkDuration } from './kube/duration';
import { checkName, Checks, refuse, accept, type Checked } from './kube/validate';
import { OUTPUT_FORMATS, type OutputFormat } from './render/structured';

/** The global options of CONTRACT.md, parsed: what every command receives. */
export interface GlobalOptions extends ConnectionFlags {
  kubeconfig?: string;
  context?: string;
  namespace: string;
  output: OutputFormat;
  requestTimeoutMs: number;
  color: boolean;
  debug: boolean;
}

export const DEFAULT_NAMESPACE = 'dhakacart';

const CONNECTION = 'Connection (kubectl\'s flags, over the kubeconfig):';

export function addGlobalOptions<T>(y: Argv<T>) {
  const g = { global: true, requiresArg: true } as const;
  return y
    .option('kubeconfig', { type: 'string', describe: 'Path to the kubeconfig file (default: KUBECONFIG, else ~/.kube/config)', ...g })
    .option('context', { type: 'string', describe: 'The kubeconfig context to use', ...g })
    .option('namespace', { alias: 'n', type: 'string', describe: 'Namespace (default: DHAKACART_NAMESPACE, else dhakacart)', ...g })
    .option('output', { alias: 'o', type: 'string', choices: OUTPUT_FORMATS as OutputFormat[], default: 'table' as OutputFormat, describe: 'Output format', ...g })
    .option('request-timeout', { type: 'string', default: '30s', describe: 'Time limit for each API request (30s, 1m)', ...g })
    .option('color', { type: 'boolean', default: true, describe: 'Colour on a terminal; --no-color (or NO_COLOR) for plain output', global: true })
    .option('debug', { type: 'boolean', describe: 'On an internal error, print the stack (also DHAKACART_DEBUG=1)', global: true })
    .option('cluster', { type: 'string', describe: 'The kubeconfig cluster to use', group: CONNECTION, ...g })
    .option('user', { type: 'string', describe: 'The kubeconfig user to use', group: CONNECTION, ...g })
    .option('server', { alias: 's', type: 'string', describe: 'The address of the API server', group: CONNECTION, ...g })
    .option('token', { type: 'string', describe: 'Bearer token for the API server', group: CONNECTION, ...g })
    .option('as', { type: 'string', describe: 'User to impersonate', group: CONNECTION, ...g })
    .option('as-group', { type: 'string', array: true, describe: 'Group to impersonate (repeatable)', group: CONNECTION, ...g })
    .option('certificate-authority', { type: 'string', describe: 'Path to a CA certificate file', group: CONNECTION, ...g })
    .option('tls-server-name', { type: 'string', describe: 'Server name for the certificate check (SNI)', group: CONNECTION, ...g })
    .option('insecure-skip-tls-verify', { type: 'boolean', describe: 'Do not check the server certificate (insecure)', group: CONNECTION, global: true });
}

export interface RawGlobals {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  output: string;
  'request-timeout': string;
  color: boolean;
  debug?: boolean;
  cluster?: string;
  user?: string;
  server?: string;
  token?: string;
  as?: string;
  'as-group'?: string[];
  'certificate-authority'?: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
}

/** --debug or DHAKACART_DEBUG=1; read from argv directly since it matters when parsing itself failed. */
export function debugWanted(argv: string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('--debug') || env.DHAKACART_DEBUG === '1';
}

function checkServer(text: string): Checked<string> {
  try {
    const u = new URL(text);
    if (u.protocol === 'https:' || u.protocol === 'http:') return accept(text);
  } catch { /* refused below */ }
  return refuse(`invalid value for --server: not an http(s) URL`, 'use https://HOST:PORT');
}

const nonEmpty = (flag: string) => (t: string): Checked<string> => (t.trim() ? accept(t) : refuse(`${flag} must not be empty`));

/** Parses and checks the global flags; the problems go into `checks`, reported with the command's own. */
export function globalsFrom(a: RawGlobals, env: NodeJS.ProcessEnv, checks: Checks = new Checks()): GlobalOptions {
  const namespace = a.namespace || env.DHAKACART_NAMESPACE || DEFAULT_NAMESPACE;
  checks.take(checkName(namespace, 'namespace', 'label'));
  const g: GlobalOptions = {
    kubeconfig: a.kubeconfig,
    context: checks.optional(a.context, nonEmpty('--context')),
    namespace,
    output: a.output as OutputFormat,
    requestTimeoutMs: checks.take(checkDuration(a['request-timeout'], '--request-timeout')) ?? 0,
    color: a.color,
    debug: !!a.debug || env.DHAKACART_DEBUG === '1',
    cluster: checks.optional(a.cluster, nonEmpty('--cluster')),
    user: checks.optional(a.user, nonEmpty('--user')),
    server: checks.optional(a.server, checkServer),
    token: a.token,
    as: checks.optional(a.as, nonEmpty('--as')),
    asGroups: (a['as-group'] ?? []).map((x) => checks.take(nonEmpty('--as-group')(x)) ?? ''),
    certificateAuthority: checks.optional(a['certificate-authority'], nonEmpty('--certificate-authority')),
    tlsServerName: checks.optional(a['tls-server-name'], nonEmpty('--tls-server-name')),
    insecureSkipTlsVerify: a['insecure-skip-tls-verify'],
  };
  if (a['as-group']?.length && !g.as) checks.take(refuse('--as-group needs --as', 'kubectl requires a user to impersonate along with groups: add --as USER'));
  return g;
}
