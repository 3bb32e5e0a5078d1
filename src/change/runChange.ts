import { assertAllowed, type AccessCheck } from '../cluster/access';
import type { KubeApi } from '../cluster/api';
import { isConflict, isOutcomeUnknown, patchDeployment } from '../cluster/apply';
import { connect } from '../cluster/connect';
import { getDeployment, resolveDeployment } from '../cluster/target';
import { CliError, ExitCode, PartialResult } from '../errors';
import type { Outcome } from '../commands/types';
import type { Io } from '../io';
import { revisionOf } from '../kube/deployment';
import type { Deployment } from '../kube/types';
import type { GlobalOptions } from '../options';
import { managedWarning } from '../remedy/managed';
import { landed, sameChanges, withChangeCause, type Plan } from '../remedy/plan';
import { startSpinner } from '../render/spinner';
import { isStructured } from '../render/structured';
import type { ChangeSettings } from './options';
import { planText } from './render';
import { followRecovery, verdictExitCode, type Verification } from '../verify/follow';
import type { RecoveryCheck } from '../verify/judge';
import type { ChangeReport, ChangeResult, Refusal } from './result';

/** What a precheck found: checks to report, or why nothing may be planned (then nothing is changed). */
export type Precheck = { checks: RecoveryCheck[]; refusal?: undefined } | { refusal: Refusal; checks?: undefined };

/**
 * One change command, as gather then plan: `gather` reads what planning needs (functions of
 * cluster/), `plan` is a pure function of the Deployment and what was gathered. After a
 * conflict both run again against the fresh Deployment.
 */
export interface ChangeRequest<F, P extends Plan = Plan> {
  target: string | undefined;
  /** The command line, recorded as kubernetes.io/change-cause. */
  cause: string;
  gather(api: KubeApi, dep: Deployment): Promise<F>;
  plan(dep: Deployment, facts: F): P;
  /** Shown once, before the first plan (rollback's history); a replan does not repeat it. */
  preface?(dep: Deployment, facts: F): string;
  /** Runs once before anything is gathered, e.g. waiting for the database (fix db). */
  precheck?(api: KubeApi, dep: Deployment, say: (m: string) => void): Promise<Precheck>;
  /** A change that is not a patch of the Deployment (fix evicted deletes pods): makes it, or dry-runs it, and returns the Deployment. */
  write?(api: KubeApi, plan: P, dryRun: boolean): Promise<Deployment>;
  /** What `write` needs permission for (default: patch the Deployment). */
  access?: AccessCheck[];
}

const MAX_CONFLICT_RETRIES = 3;
/** Resends of a patch that did not land on an untouched object (see the loop). */
const MAX_RESENDS = 2;

/**
 * The one path every change takes: resolve the target, precheck, gather and plan, show the
 * plan, dry-run or confirm, check permissions, patch (gathering and planning again on a
 * conflict), wait like `kubectl rollout status`, verify. Nothing is written before the plan was shown and agreed to, and what
 * is written is the change agreed to: a replan that differs is shown and confirmed again.
 * Once the change is applied, the result is rendered whatever fails afterwards (PartialResult).
 */
export async function runChange<F, P extends Plan>(g: GlobalOptions, s: ChangeSettings, io: Io, req: ChangeRequest<F, P>): Promise<Outcome<ChangeReport>> {
  const structured = isStructured(g.output);
  const say = (m: string) => io.err(`${m}\n`);
  const showPlan = (p: Plan) => (structured ? io.err : io.out)(planText(p, io));
  const api = connect(g);
  const ns = g.namespace;
  let dep = await resolveDeployment(api, ns, req.target);
  const name = dep.metadata.name;
  const pre: Precheck = req.precheck ? await req.precheck(api, dep, say) : { checks: [] };
  if (pre.refusal) return { result: pre.refusal, exitCode: ExitCode.problems };
  const checks = pre.checks;
  // Said with every plan: a manager (Helm, Argo CD, Flux) would put the old spec back.
  const planFor = (d: Deployment, facts: F): P => {
    const p = req.plan(d, facts);
    const managed = p.changes.length ? managedWarning(d.metadata, ns, p.changes, p.action) : null;
    return managed ? { ...p, warnings: [...p.warnings, managed] } : p;
  };
  const firstFacts = await req.gather(api, dep);
  if (req.preface) (structured ? io.err : io.out)(req.preface(dep, firstFacts));
  let plan = planFor(dep, firstFacts);
  const result: ChangeResult = {
    action: plan.action, target: `deployment/${name}`, dryRun: s.dryRun, changes: plan.changes,
    applied: false, rollout: { status: 'skipped', revision: revisionOf(dep) }, verified: false, warnings: plan.warnings, checks, message: null,
  };
  const finish = (exitCode: number): Outcome<ChangeReport> => ({ result, exitCode });
  /** The result so far is rendered, then the error ends the command with its own exit code. */
  const failWith = (e: unknown, message: string): never => {
    result.message = message;
    throw new PartialResult(e, result);
  };
  showPlan(plan);

  if (plan.noop) {
    result.message = plan.noop;
    return finish(ExitCode.ok);
  }
  const send = (p: P, dryRun: boolean) => (req.write ? req.write(api, p, dryRun)
    : patchDeployment(api, ns, name, withChangeCause(p.patch!, req.cause), dep.metadata.resourceVersion, dryRun));
  if (s.dryRun) {
    await send(plan, true);
    result.message = 'server-side dry run accepted the change; nothing was applied';
    return finish(ExitCode.ok);
  }
  if (!s.yes) {
    if (!io.canPrompt) {
      throw new CliError('aborted', `not changing deployment/${name}: this run is not interactive and --yes was not given`,
        'review the plan above, then re-run with --yes (or --dry-run to preview)');
    }
    if (!(await io.confirm(`Apply ${plan.action} to deployment/${name} in ${ns}?`))) {
      throw new CliError('aborted', 'declined; nothing was changed');
    }
  }
  await assertAllowed(api, ns, req.access ?? [{ verb: 'patch', group: 'apps', resource: 'deployments', name }], () => send(plan, true));

  let resends = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      dep = await send(plan, false);
      break;
    } catch (e) {
      if (isOutcomeUnknown(e)) {
        const fresh = await readBack(e);
        if (fresh) { dep = fresh; break; }
        // Not landed and the object untouched since the plan: the patch carries that
        // resourceVersion as a precondition, so sending it again cannot apply it twice.
        if (resends++ < MAX_RESENDS) { say('the change did not land and the Deployment is unchanged; sending the same patch again'); continue; }
        return failWith(new CliError('cluster', `the patch of deployment/${name} failed ${resends} times (${(e as Error).message}) and did not land`,
          're-running this command is safe'), 'the change did not land; nothing was changed');
      }
      if (!isConflict(e) || attempt >= MAX_CONFLICT_RETRIES) throw e;
      say(`deployment/${name} changed meanwhile; planning again against the fresh object`);
      dep = await getDeployment(api, ns, name);
      const replan = planFor(dep, await req.gather(api, dep));
      if (replan.noop) {
        result.changes = replan.changes;
        result.message = replan.noop;
        return finish(ExitCode.ok);
      }
      if (sameChanges(plan.changes, replan.changes)) {
        say('the fresh plan is the change already confirmed; applying it');
      } else {
        say(`the change is no longer the one ${s.yes ? 'given --yes' : 'confirmed'}; it is now:`);
        showPlan(replan);
        if (s.yes) {
          result.replanned = replan.changes;
          const message = `deployment/${name} changed between the plan and the patch, and the change would now differ from the one shown first; nothing was applied`;
          if (structured) say(`error: ${message}`);
          result.message = `${message}. Review both plans, then re-run`;
          return finish(ExitCode.aborted);
        }
        if (!(await io.confirm(`Apply this new ${replan.action} to deployment/${name} in ${ns}?`))) {
          throw new CliError('aborted', 'declined; nothing was changed');
        }
      }
      plan = replan;
      result.changes = plan.changes;
      result.warnings = plan.warnings;
    }
  }

  /**
   * After a lost reply: the fresh object tells whether the change landed (then the run carries
   * on with it); null when it did not and nothing else touched the Deployment (safe to resend).
   */
  async function readBack(lost: unknown): Promise<Deployment | null> {
    say(`the reply to the patch was lost (${(lost as Error).message}); reading deployment/${name} back to see whether the change landed`);
    let fresh: Deployment;
    try {
      fresh = await getDeployment(api, ns, name);
    } catch (e) {
      return failWith(new CliError('cluster', `the outcome of the change to deployment/${name} is unknown: its reply was lost and reading it back failed (${(e as Error).message})`,
        `check with: kubectl get deployment ${name} -n ${ns} -o yaml before running anything again`),
      'unknown whether the change was applied: the reply was lost and the Deployment could not be read back');
    }
    if (!landed(fresh, plan.expect, req.cause)) {
      if (fresh.metadata.resourceVersion === dep.metadata.resourceVersion) return null;
      return failWith(new CliError('cluster', `the patch of deployment/${name} failed (${(lost as Error).message}) and did not land, and the Deployment has changed since: reading it back shows another change`,
        're-run this command to plan against the fresh object'), 'the change did not land; nothing was changed');
    }
    result.warnings = [...result.warnings, 'the reply to the patch was lost, but reading the Deployment back shows the change landed'];
    say('the change landed although its reply was lost');
    return fresh;
  }

  result.applied = true;
  if (!req.write) say(`deployment.apps/${name} patched`);
  if (!s.wait || !plan.rollout) {
    result.message = plan.rollout ? 'applied; not waiting for the rollout (--no-wait)' : 'applied; nothing to roll out';
    return finish(ExitCode.ok);
  }

  const spinner = await startSpinner(io, g.output, `Waiting for deployment/${name} to roll out...`);
  let v: Verification;
  try {
    v = await followRecovery(api, ns, name, {
      timeoutMs: s.timeoutMs, settleMs: s.settleMs, now: io.now, onMessage: say,
      onRollout: io.interactive && !structured ? (m) => spinner.update(m) : say,
    });
  } catch (e) {
    result.rollout.status = 'unknown';
    return failWith(e, `the change was applied, but its rollout could not be followed: ${(e as Error).message}`);
  } finally {
    spinner.stop();
  }
  result.rollout = { status: v.rollout.status, revision: v.rollout.revision };
  result.checks.push(...v.checks);
  result.verified = v.verified;
  result.message = v.verified ? `${v.message}; recovery verified` : v.message;
  return finish(verdictExitCode(v.verdict));
}
