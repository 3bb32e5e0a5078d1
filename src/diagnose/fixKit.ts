import { CliError } from '../errors';
import { shellQuote } from '../kube/shell';
import { revisionOf } from '../kube/deployment';
import type { Deployment } from '../kube/types';
import type { Patch } from '../kube/patch';
import type { Change, Plan } from '../remedy/plan';
import { healthyTarget, rollbackTarget, type RollbackAim } from '../remedy/rollback';
import type { ChangeInfo } from './change';
import type { RuleContext } from './context';
import type { Fix } from './diagnosis';

/**
 * What the plugin targets: a Deployment; a StatefulSet gets the same changes as plain kubectl
 * commands (the remedy planners only read `spec.template`, which both kinds share).
 */
export interface Workload { kind: 'deployment' | 'statefulset'; name: string; asDeployment: Deployment }

export function workloadOf(ctx: RuleContext): Workload | null {
  const { deployment, statefulSet } = ctx.owner;
  if (deployment) return { kind: 'deployment', name: deployment.metadata.name, asDeployment: deployment };
  if (statefulSet) {
    return { kind: 'statefulset', name: statefulSet.metadata.name, asDeployment: { metadata: statefulSet.metadata, spec: { selector: statefulSet.spec.selector, template: statefulSet.spec.template } } };
  }
  return null;
}


/** The remedy planners refuse what they cannot change (an init container, an unknown container): then there is no fix to offer. */
export function planned<T>(make: () => T): T | null {
  try {
    return make();
  } catch (e) {
    if (e instanceof CliError) return null;
    throw e;
  }
}

/** What a cause's fix is written with: the pod's context, its workload, and the commands that name them. */
export class FixKit {
  /** The changes the proposed fix makes: what a Helm/Argo CD/Flux-managed workload needs as values instead. */
  changes: Change[] = [];
  constructor(readonly ctx: RuleContext, readonly w: Workload, readonly change: ChangeInfo) {}
  get ns() { return `-n ${this.ctx.namespace}`; }
  get ref() { return `${this.w.kind}/${this.w.name}`; }
  /** The plugin's command; for a StatefulSet a shell comment saying why there is none. */
  plugin(sub: string, flags = ''): string {
    return this.w.kind === 'deployment'
      ? `kubectl dhakacart ${sub} ${this.ref} ${this.ns}${flags}`
      : `# kubectl dhakacart ${sub} changes Deployments only; for ${this.ref} run the kubectl commands`;
  }
  /** `--container` only when the fix's own default (backend, or the only container) might pick another one. */
  containerFlag(): string {
    return this.w.asDeployment.spec.template.spec.containers.length > 1 ? ` --container ${this.ctx.focus.name}` : '';
  }
  patch(p: Patch): string {
    return `kubectl patch ${this.w.kind} ${this.w.name} ${this.ns} --type ${p.type} -p ${shellQuote(JSON.stringify(p.body))}`;
  }
  /** The kubectl patch of a plan, remembering its changes. */
  planned(p: Plan & { patch: Patch }): string {
    this.changes = p.changes;
    return this.patch(p.patch);
  }

  /** Where a rollback goes: the newest revision that ran healthy, else kubectl's previous one (null: no earlier revision). */
  rollbackAim(): RollbackAim | null {
    const dep = this.ctx.owner.deployment;
    if (!dep) return null;
    return planned(() => healthyTarget(dep, this.ctx.snapshot.replicaSets, { pods: this.ctx.snapshot.pods, events: this.ctx.snapshot.events, now: this.ctx.now }));
  }

  /** kubectl's own previous revision is named plainly; another target is named with --to-revision, and why. */
  rollback(aim: RollbackAim | null, note = ''): Fix | null {
    if (!aim) return null;
    const rev = revisionOf(aim.target);
    const previous = planned(() => rollbackTarget(this.ctx.owner.deployment!, this.ctx.snapshot.replicaSets, 0));
    const why = `  # ${note}${aim.reason}`;
    if (previous === aim.target) return { command: `${this.plugin('rollback')}${aim.knownHealthy && !note ? '' : why}`, kubectl: [`kubectl rollout undo ${this.ref} ${this.ns}`] };
    return { command: `${this.plugin('rollback', ` --to-revision ${rev}`)}${why}`, kubectl: [`kubectl rollout undo ${this.ref} ${this.ns} --to-revision=${rev}`] };
  }

  /** A rollout just before the failure began: going back is the fix when nothing more specific is. */
  rollbackIfRecent(): Fix | null {
    return this.change.recent ? this.rollback(this.rollbackAim()) : null;
  }
}
