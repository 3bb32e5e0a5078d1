import { TEAMS, TEAM_NAMES, escalationText, type EscalationReason } from '../diagnose/escalate';
import type { Diagnosis, Handover } from '../diagnose/diagnosis';
import { notLookedAt } from '../diagnose/unread';
import { ESCALATION_CONFIGMAP, type Contacts } from './contacts';

/**
 * The runbook's escalation applied to a diagnosis: of the teams its reasons name, the one
 * that acts first (TEAMS' order) is called, with that team's reasons and configured contacts.
 */
export function handover(d: Pick<Diagnosis, 'escalations'>, contacts: Contacts): Handover | null {
  const reasons = d.escalations ?? [];
  const team = TEAMS.find((t) => reasons.some((r) => r.team === t));
  if (!team) return null;
  return {
    reason: [...new Set(reasons.filter((r) => r.team === team).map((r) => r.reason))].join('; '),
    team,
    contacts: contacts.teams[team] ?? [],
    from: contacts.found ? contacts.from : null,
    ...(contacts.found ? {} : { unread: contacts.from }),
  };
}

/** The handover set; contacts that could not be read are said where every unread piece is (notLookedAt). */
export const withHandover = (d: Diagnosis, contacts: Contacts): Diagnosis => ({
  ...d,
  escalation: handover(d, contacts),
  ...(contacts.gap ? { notLookedAt: [...d.notLookedAt, ...notLookedAt([contacts.gap])] } : {}),
});

/** A reason the command saw itself, beside those the diagnosis found; the handover is set again once contacts are read. */
export function withReason(d: Diagnosis, r: EscalationReason): Diagnosis {
  const escalations = [...(d.escalations ?? []), r];
  return { ...d, escalations, escalate: escalationText(escalations) };
}

export const needsContacts = (ds: Diagnosis[]): boolean => ds.some((d) => (d.escalations ?? []).length > 0);

/** The line under "Escalate:": whom to call, or where their contacts belong when none are configured. */
export function contactLine(h: Handover, namespace: string): string {
  const name = TEAM_NAMES[h.team];
  if (h.contacts.length) return `Call the ${name}: ${h.contacts.join(', ')} (from ${h.from}); hand over the evidence above.`;
  const why = h.from ? `${h.from} lists none` : h.unread ?? 'none configured';
  return `No contacts for the ${name} (${why}): add key "${h.team}" to ConfigMap ${ESCALATION_CONFIGMAP} in ${namespace}, or pass --escalation-config FILE.`;
}
