import fs from 'node:fs';
import { load as loadYaml } from 'js-yaml';
import { readContactsConfigMap } from '../cluster/escalationContacts';
import type { KubeApi } from '../cluster/api';
import { usageError } from '../errors';
import { ESCALATION_CONFIGMAP, noContacts, parseContacts, type Contacts } from './contacts';

/**
 * --escalation-config FILE: the user's own YAML (the ConfigMap's keys). It is read before
 * anything is sent, and a mistake in it is a usage error: a misspelt team would otherwise
 * leave someone uncalled at 3 a.m.
 */
export function loadContactsFile(file: string): Contacts {
  let data: unknown;
  try {
    data = loadYaml(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw usageError(`cannot read escalation config ${file}: ${(e as Error).message.split('\n')[0]}`, 'pass a YAML file with the keys platform, infrastructure, senior');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw usageError(`${file} is not a mapping of team to contacts`, 'pass a YAML file with the keys platform, infrastructure, senior');
  const { contacts, problems } = parseContacts(data as Record<string, unknown>, `file ${file}`);
  if (problems.length) throw usageError(problems[0]!, 'each key is a team (platform, infrastructure, senior), each value its contacts, one per line or a list');
  return contacts;
}

/**
 * The namespace's ConfigMap dhakacart-escalation. A key that is not a team is said on stderr
 * (`warn`) and skipped: the rest of the list still serves.
 */
export async function loadContactsConfigMap(api: KubeApi, ns: string, warn: (m: string) => void): Promise<Contacts> {
  const read = await readContactsConfigMap(api, ns, ESCALATION_CONFIGMAP);
  if ('unread' in read) return noContacts(read.unread, read.gap);
  const { contacts, problems } = parseContacts(read.data, `ConfigMap ${ns}/${ESCALATION_CONFIGMAP}`);
  for (const p of problems) warn(`warning: ${p}; skipped\n`);
  return contacts;
}
