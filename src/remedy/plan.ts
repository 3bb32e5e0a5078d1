/** A change to a Deployment, as data: what `--dry-run` shows and what apply sends. */
import { CHANGE_CAUSE_ANNOTATION } from '../kube/deployment';
import { templatesEqual } from '../kube/template';
import type { Patch } from '../kube/patch';
import type { Deployment, PodTemplateSpec } from '../kube/types';

export type Scalar = string | number | boolean | null;

export interface Change { path: string; from: Scalar; to: Scalar }

/**
 * The parts of the Deployment a plan's patch sets, as they read once it landed: after a
 * lost reply the fresh object is compared with this to tell whether the write happened.
 */
export interface Expectation {
  template?: PodTemplateSpec;
  replicas?: number;
  /** null: the annotation is removed. */
  annotations?: Record<string, string | null>;
}

export interface Plan {
  /** e.g. "fix oom", "rollback", "emergency stop". */
  action: string;
  deployment: string;
  changes: Change[];
  patch: Patch | null;
  /** What the Deployment holds once the patch landed (empty for a noop). */
  expect: Expectation;
  /** Said before the confirmation prompt; never block the change by themselves. */
  warnings: string[];
  /** Whether the change makes a new rollout to wait for and verify. */
  rollout: boolean;
  /** Set when there is nothing to change, with the reason. */
  noop: string | null;
}

/** Adds the change-cause annotation to a plan's patch, in the same write as the change itself. */
export function withChangeCause(patch: Patch, cause: string): Patch {
  if (patch.type === 'json') {
    return { type: 'json', body: [...patch.body, { op: 'add', path: `/metadata/annotations/${CHANGE_CAUSE_ANNOTATION.replace('/', '~1')}`, value: cause }] };
  }
  const meta = (patch.body.metadata ?? {}) as { annotations?: Record<string, string> };
  return { type: 'strategic', body: { ...patch.body, metadata: { ...meta, annotations: { ...meta.annotations, [CHANGE_CAUSE_ANNOTATION]: cause } } } };
}

type Fields = Record<string, unknown>;
const isMap = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How a strategic merge treats maps (key-wise, null deletes): enough for the list-free fields planners send. */
function mergeFields(target: unknown, fields: Fields): Fields {
  const out: Fields = isMap(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === null) delete out[k];
    else out[k] = isMap(v) ? mergeFields(out[k], v) : structuredClone(v);
  }
  return out;
}

/**
 * A strategic-merge patch of one container of the pod template (lists merge by name),
 * with the template it produces; both come from the same fields so they cannot disagree.
 */
export function containerChange(dep: Deployment, container: string, fields: Fields): { patch: Patch; expect: Expectation } {
  const template = structuredClone(dep.spec.template);
  template.spec.containers = template.spec.containers.map((c) => (c.name === container ? (mergeFields(c, fields) as unknown as typeof c) : c));
  return { patch: { type: 'strategic', body: { spec: { template: { spec: { containers: [{ name: container, ...fields }] } } } } }, expect: { template } };
}

/** A strategic-merge patch of the pod template's metadata, with the template it produces. */
export function templateMetadataChange(dep: Deployment, metadata: Fields): { patch: Patch; expect: Expectation } {
  const template = structuredClone(dep.spec.template);
  template.metadata = mergeFields(template.metadata, metadata) as PodTemplateSpec['metadata'];
  return { patch: { type: 'strategic', body: { spec: { template: { metadata } } } }, expect: { template } };
}

/** Whether the Deployment shows every part of the expectation (and, when given, the change-cause). */
export function landed(dep: Deployment, expect: Expectation, cause?: string): boolean {
  const ann = dep.metadata.annotations ?? {};
  const wanted = { ...expect.annotations, ...(cause === undefined ? {} : { [CHANGE_CAUSE_ANNOTATION]: cause }) };
  return (expect.template === undefined || templatesEqual(dep.spec.template, expect.template))
    && (expect.replicas === undefined || (dep.spec.replicas ?? 1) === expect.replicas)
    && Object.entries(wanted).every(([k, v]) => (ann[k] ?? null) === v);
}

/** Two plans propose the same change: the same rows, from and to. */
export function sameChanges(a: Change[], b: Change[]): boolean {
  const key = (c: Change[]) => JSON.stringify(c.map((x) => [x.path, x.from, x.to]).sort());
  return key(a) === key(b);
}
