import { assertAllowed } from '../../cluster/access';
import type { KubeApi } from '../../cluster/api';
import { isConflict, patchDeployment } from '../../cluster/apply';
import { connect } from '../../cluster/connect';
import { waitForRollout } from '../../cluster/rollout';
import { getDeployment, resolveDeployment } from '../../cluster/target';
import { verifyRecovery, type Check } from '../../cluster/verify';
import { CliError, ExitCode } from '../../errors';
import type { Io } from '../../io';
import { revisionOf } from '../../kube/deployment';
import type { Deployment } from '../../kube/types';
import type { GlobalOptions } from '../../options';
import { withChangeCause, type Change, type Plan } from '../../remedy/plan';
import { startSpinner } from '../../render/spinner';
import { isStructured, renderStructured } from '../../render/structured';
import { renderTable } from '../../render/table';
import type { ChangeSettings } from './options';

/** The contract's JSON for fix, rollback and emergency. */
export interface ChangeResult {
  action: string;
  target: string;
  dryRun: boolean;
  changes: Change[];
  applied: boolean;
  rollout: { status: 'complete' | 'failed' | 'timeout' | 'skipped'; revision: number | null };
  verified: boolean;
  warnings: string[];
  checks: Check[];
  message: string | null;
}

export interface ChangeRequest {
  target: string | undefined;
  /** The command line, recorded as kubernetes.io/change-cause. */
  cause: string;
  /** Builds the plan from the current Deployment; called again after a conflict. */
  plan(api: KubeApi, dep: Deployment): Promise<Plan>;
  /** Runs once before planning, e.g. waiting for the database (fix db) or showing history. Returns checks to report. */
  precheck?(api: KubeApi, dep: Deployment, say: (m: string) => void): Promise<Check[]>;
}

const MAX_CONFLICT_RETRIES = 3;
const show = (v: Change['from']) => (v === null ? '<none>' : String(v));

function planText(plan: Plan, io: Io): string {
  const c = io.colors;
  let s = '';
  if (plan.changes.length) {
    s += `${c.bold(plan.action)} on deployment/${plan.deployment}:\n`;
    s += renderTable(['CHANGE', 'FROM', 'TO'], plan.changes.map((ch) => [ch.path, c.red(show(ch.from)), c.green(show(ch.to))]));
  }
  for (const w of plan.warnings) s += c.yellow(`warning: ${w}`) + '\n';
  return s;
}

function resultText(r: ChangeResult, io: Io): string {
  const c = io.colors;
  let s = r.checks.length ? renderTable(['CHECK', 'OK', 'DETAIL'], r.checks.map((k) => [k.name, k.ok ? c.green('yes') : c.red('NO'), k.detail])) : '';
  if (r.message) s += `${r.message}\n`;
  return s;
}

/**
 * The one path every change takes: resolve the target, plan, show the plan, dry-run or
 * confirm, check permissions, patch (replanning on conflict), wait like `kubectl rollout
 * status`, verify. Nothing is written before the plan was shown and agreed to.
 */
export async function runChange(g: GlobalOptions, s: ChangeSettings, io: Io, req: ChangeRequest): Promise<number> {
  const structured = isStructured(g.output);
  const say = (m: string) => io.err(`${m}\n`);
  const api = connect(g);
  const ns = g.namespace;
  let dep = await resolveDeployment(api, ns, req.target);
  const checks: Check[] = req.precheck ? await req.precheck(api, dep, say) : [];
  let plan = await req.plan(api, dep);
  const result: ChangeResult = {
    action: plan.action, target: `deployment/${dep.metadata.name}`, dryRun: s.dryRun, changes: plan.changes,
    applied: false, rollout: { status: 'skipped', revision: revisionOf(dep) }, verified: false, warnings: plan.warnings, checks, message: null,
  };
  const finish = (code: number) => {
    io.out(structured ? renderStructured(result, g.output as 'json' | 'yaml') : resultText(result, io));
    return code;
  };
  (structured ? io.err : io.out)(planText(plan, io));

  if (plan.noop) {
    result.message = plan.noop;
    return finish(ExitCode.ok);
  }
  if (s.dryRun) {
    await patchDeployment(api, ns, dep.metadata.name, withChangeCause(plan.patch!, req.cause), dep.metadata.resourceVersion, true);
    result.message = 'server-side dry run accepted the change; nothing was applied';
    return finish(ExitCode.ok);
  }
  if (!s.yes) {
    if (!io.canPrompt) {
      throw new CliError('aborted', `not changing deployment/${dep.metadata.name}: this run is not interactive and --yes was not given`,
        'review the plan above, then re-run with --yes (or --dry-run to preview)');
    }
    if (!(await io.confirm(`Apply ${plan.action} to deployment/${dep.metadata.name} in ${ns}?`))) {
      throw new CliError('aborted', 'declined; nothing was changed');
    }
  }
  await assertAllowed(api, ns, [{ verb: 'patch', group: 'apps', resource: 'deployments', name: dep.metadata.name }]);

  for (let attempt = 0; ; attempt++) {
    try {
      dep = await patchDeployment(api, ns, dep.metadata.name, withChangeCause(plan.patch!, req.cause), dep.metadata.resourceVersion, false);
      break;
    } catch (e) {
      if (!isConflict(e) || attempt >= MAX_CONFLICT_RETRIES) throw e;
      say(`deployment/${dep.metadata.name} changed meanwhile; planning again against the fresh object`);
      dep = await getDeployment(api, ns, dep.metadata.name);
      plan = await req.plan(api, dep);
      result.changes = plan.changes;
      if (plan.noop) { result.message = plan.noop; return finish(ExitCode.ok); }
    }
  }
  result.applied = true;
  say(`deployment.apps/${dep.metadata.name} patched`);
  if (!s.wait || !plan.rollout) {
    result.message = 'applied; not waiting for the rollout (--no-wait)';
    return finish(ExitCode.ok);
  }

  const spinner = await startSpinner(io, g.output, `Waiting for deployment/${dep.metadata.name} to roll out...`);
  let outcome;
  try {
    outcome = await waitForRollout(api, ns, dep.metadata.name, { timeoutMs: s.timeoutMs, onMessage: io.interactive && !structured ? (m) => spinner.update(m) : say });
  } finally {
    spinner.stop();
  }
  result.rollout = { status: outcome.status, revision: outcome.revision };
  result.message = outcome.message;
  if (outcome.status === 'timeout') return finish(ExitCode.timeout);
  if (outcome.status === 'failed') return finish(ExitCode.problems);

  const fresh = await getDeployment(api, ns, dep.metadata.name);
  const v = await verifyRecovery(api, fresh, s.settleMs, say);
  result.checks.push(...v.checks);
  result.verified = v.verified;
  result.message = v.verified ? `${outcome.message}; recovery verified` : `${outcome.message}, but verification failed`;
  return finish(v.verified ? ExitCode.ok : ExitCode.problems);
}
