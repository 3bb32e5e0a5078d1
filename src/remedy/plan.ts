/** A change to a Deployment, as data: what `--dry-run` shows and what apply sends. */
export type Scalar = string | number | boolean | null;

export interface Change { path: string; from: Scalar; to: Scalar }

export interface JsonPatchOp { op: 'replace' | 'add' | 'remove' | 'test'; path: string; value?: unknown }

export type Patch =
  | { type: 'strategic'; body: Record<string, unknown> }
  | { type: 'json'; body: JsonPatchOp[] };

export interface Plan {
  /** e.g. "fix oom", "rollback", "emergency stop". */
  action: string;
  deployment: string;
  changes: Change[];
  patch: Patch | null;
  /** Said before the confirmation prompt; never block the change by themselves. */
  warnings: string[];
  /** Whether the change makes a new rollout to wait for and verify. */
  rollout: boolean;
  /** Set when there is nothing to change, with the reason. */
  noop: string | null;
}

export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** Adds the change-cause annotation to a plan's patch, in the same write as the change itself. */
export function withChangeCause(patch: Patch, cause: string): Patch {
  if (patch.type === 'json') {
    return { type: 'json', body: [...patch.body, { op: 'add', path: `/metadata/annotations/${CHANGE_CAUSE.replace('/', '~1')}`, value: cause }] };
  }
  const meta = (patch.body.metadata ?? {}) as { annotations?: Record<string, string> };
  return { type: 'strategic', body: { ...patch.body, metadata: { ...meta, annotations: { ...meta.annotations, [CHANGE_CAUSE]: cause } } } };
}

/** A strategic-merge patch of one container of the pod template (lists merge by name). */
export function containerPatch(container: string, fields: Record<string, unknown>): Patch {
  return { type: 'strategic', body: { spec: { template: { spec: { containers: [{ name: container, ...fields }] } } } } };
}
