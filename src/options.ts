import type { Argv } from 'yargs';
import { parseDuration } from './kube/duration';
import { OUTPUT_FORMATS, type OutputFormat } from './render/structured';

/** The global options of CONTRACT.md, parsed: what every command receives. */
export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  namespace: string;
  output: OutputFormat;
  requestTimeoutMs: number;
  color: boolean;
}

export const DEFAULT_NAMESPACE = 'dhakacart';

export function addGlobalOptions<T>(y: Argv<T>) {
  return y
    .option('kubeconfig', { type: 'string', describe: 'Path to the kubeconfig file (default: KUBECONFIG, else ~/.kube/config)', global: true, requiresArg: true })
    .option('context', { type: 'string', describe: 'The kubeconfig context to use', global: true, requiresArg: true })
    .option('namespace', { alias: 'n', type: 'string', describe: 'Namespace (default: DHAKACART_NAMESPACE, else dhakacart)', global: true, requiresArg: true })
    .option('output', { alias: 'o', type: 'string', choices: OUTPUT_FORMATS as OutputFormat[], default: 'table' as OutputFormat, describe: 'Output format', global: true, requiresArg: true })
    .option('request-timeout', { type: 'string', default: '30s', describe: 'Time limit for each API request (30s, 1m)', global: true, requiresArg: true })
    .option('color', { type: 'boolean', default: true, describe: 'Colour on a terminal; --no-color (or NO_COLOR) for plain output', global: true });
}

export interface RawGlobals {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  output: string;
  'request-timeout': string;
  color: boolean;
}

export function globalsFrom(a: RawGlobals, env: NodeJS.ProcessEnv): GlobalOptions {
  return {
    kubeconfig: a.kubeconfig,
    context: a.context,
    namespace: a.namespace || env.DHAKACART_NAMESPACE || DEFAULT_NAMESPACE,
    output: a.output as OutputFormat,
    requestTimeoutMs: parseDuration(a['request-timeout'], '--request-timeout'),
    color: a.color,
  };
}
