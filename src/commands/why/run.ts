import { connect } from '../../cluster/connect';
import { gatherWhy } from '../../cluster/gatherWhy';
import { diagnosePod, diagnoseUnhealthy, groupDiagnoses } from '../../diagnose/index';
import type { Snapshot } from '../../diagnose/snapshot';
import { notLookedAt } from '../../diagnose/unread';
import { ExitCode, usageError } from '../../errors';
import type { Io } from '../../io';
import { DEFAULT_POD_SELECTOR, parseSelector } from '../../kube/selector';
import type { GlobalOptions } from '../../options';
import { startSpinner } from '../../render/spinner';
import { isStructured, renderStructured } from '../../render/structured';
import type { WhyArgs } from './index';
import { renderDiagnosis, renderGroups } from './render';
import { loadSnapshot, saveSnapshot } from './snapshotFile';

async function snapshotFor(g: GlobalOptions, a: WhyArgs, io: Io, selector: string): Promise<Snapshot> {
  if (a['from-file']) return loadSnapshot(a['from-file']);
  const api = connect(g);
  const spinner = await startSpinner(io, g.output, a.pod ? `Gathering evidence on ${a.pod}...` : `Looking for unhealthy pods in ${g.namespace}...`);
  try {
    return await gatherWhy(api, { namespace: g.namespace, pod: a.pod ?? null, selector, context: api.ctx.context, now: io.now() });
  } finally {
    spinner.stop();
  }
}

export async function runWhy(g: GlobalOptions, a: WhyArgs, io: Io): Promise<number> {
  const selector = a.selector ?? DEFAULT_POD_SELECTOR;
  if (parseSelector(selector) === null) throw usageError(`invalid label selector "${selector}"`, 'use key=value, key in (a,b) or key, joined by commas');
  if (!Number.isInteger(a.logs) || a.logs < 0) throw usageError(`--logs must be a whole number, got ${a.logs}`);
  const snap = await snapshotFor(g, a, io, selector);
  if (a.save) saveSnapshot(a.save, snap);
  const pod = a.pod ?? snap.target;
  const now = Date.parse(snap.capturedAt);

  if (pod) {
    const d = diagnosePod(snap, pod, { container: a.container, logLines: a.logs });
    io.out(isStructured(g.output) ? renderStructured(d, g.output) : renderDiagnosis(d, snap, now, io.colors, a.logs));
    return d.cause === 'healthy' ? ExitCode.ok : ExitCode.problems;
  }
  const diagnoses = diagnoseUnhealthy(snap, { logLines: a.logs });
  if (isStructured(g.output)) io.out(renderStructured({ namespace: snap.namespace, diagnoses, notLookedAt: notLookedAt(snap.gaps) }, g.output));
  else io.out(renderGroups(groupDiagnoses(diagnoses), snap, now, io.colors, a.logs));
  return diagnoses.length ? ExitCode.problems : ExitCode.ok;
}
