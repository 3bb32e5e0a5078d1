import { dump } from 'js-yaml';
import { sanitizeData } from '../security/sanitize';

export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml' | CiFormat;
/** Reports for CI annotation: only a command that lists them in its `outputs` accepts them (check). */
export type CiFormat = 'sarif' | 'junit';
export const CI_FORMATS: readonly CiFormat[] = ['sarif', 'junit'];
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'wide', 'json', 'yaml', ...CI_FORMATS];
export const isCiFormat = (f: OutputFormat): f is CiFormat => (CI_FORMATS as readonly string[]).includes(f);

export const isStructured = (f: OutputFormat): f is 'json' | 'yaml' => f === 'json' || f === 'yaml';

/** Every string of the data, keys included, is cleaned and bounded before it is encoded. */
export function renderStructured(data: unknown, format: 'json' | 'yaml'): string {
  const clean = sanitizeData(data);
  return format === 'json' ? JSON.stringify(clean, null, 2) + '\n' : dump(clean, { noRefs: true, lineWidth: -1 });
}

/** One JSON document on one line (a watch event), cleaned like renderStructured. */
export function renderJsonLine(data: unknown): string {
  return JSON.stringify(sanitizeData(data)) + '\n';
}
