import type { Gap } from '../cluster/snapshot';
import { TEAMS, type Team } from '../diagnose/escalate';

/** The ConfigMap the contacts are read from, in the namespace looked at. */
export const ESCALATION_CONFIGMAP = 'dhakacart-escalation';

/**
 * Who to call, by team, and where that was read: nothing is built in, the user keeps the
 * addresses (ConfigMap or file). `from` names the source; when it could not be read
 * (`found` false) it says why (absent, forbidden...), for the line that says where to add them.
 */
export interface Contacts { from: string; found: boolean; teams: Partial<Record<Team, string[]>>; gap?: Gap }

export const noContacts = (why: string, gap?: Gap | null): Contacts => ({ from: why, found: false, teams: {}, ...(gap ? { gap } : {}) });

/** One contact a line; blank lines and `#` comments are for the people who keep the list. */
function lines(v: unknown): string[] | null {
  const items = typeof v === 'string' ? v.split('\n') : Array.isArray(v) && v.every((x) => typeof x === 'string') ? v as string[] : null;
  return items && items.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/**
 * Each key a team (`platform`, `infrastructure`, `senior`), each value its contacts: a
 * string of lines (a ConfigMap's data) or a YAML list. Problems name the key, never a value.
 */
export function parseContacts(data: Record<string, unknown>, from: string): { contacts: Contacts; problems: string[] } {
  const teams: Partial<Record<Team, string[]>> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!(TEAMS as readonly string[]).includes(key)) {
      problems.push(`${from}: key "${key}" is not a team (the teams are ${TEAMS.join(', ')})`);
      continue;
    }
    const list = lines(value);
    if (!list) problems.push(`${from}: the contacts of "${key}" are neither lines of text nor a list of strings`);
    else teams[key as Team] = list;
  }
  return { contacts: { from, found: true, teams }, problems };
}
