import { configRefs } from './configRefs';
import { crashAlert } from './crashAlert';
import { disruptionBudget } from './disruptionBudget';
import { imageTag } from './imageTag';
import { probePortRule } from './probePort';
import { probes } from './probes';
import { probesDistinct } from './probesDistinct';
import { replicas } from './replicas';
import { resources } from './resources';
import { rollback } from './rollback';
import { startupProbe } from './startupProbe';
import type { CheckContext, CheckResult, Rule } from './types';

/** The runbook's Prevention Checklist, in its order: one rule per item (or per part of one). */
export const RULES: readonly Rule[] = [
  resources, probes, probePortRule, probesDistinct, startupProbe, imageTag, configRefs, rollback, replicas, disruptionBudget, crashAlert,
];

export function runChecks(ctx: CheckContext): CheckResult[] {
  return RULES.map((r) => ({ id: r.id, title: r.title, ...r.check(ctx) }));
}
