import { dump } from 'js-yaml';

export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'wide', 'json', 'yaml'];

export const isStructured = (f: OutputFormat): f is 'json' | 'yaml' => f === 'json' || f === 'yaml';

export function renderStructured(data: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(data, null, 2) + '\n' : dump(data, { noRefs: true, lineWidth: -1 });
}
