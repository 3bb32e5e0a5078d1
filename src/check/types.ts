import type { KeyNames, Reading } from '../cluster/gatherCheck';
import type { Container, LabelSelector, Pod, PodDisruptionBudget, PodMetrics, PodTemplateSpec, PrometheusRule, ReplicaSet } from '../kube/types';

/** A rule's verdict, ordered: a result at or above `--fail-on` makes the exit code 1. */
export type CheckLevel = 'pass' | 'warn' | 'fail';
export const LEVELS: readonly CheckLevel[] = ['pass', 'warn', 'fail'];
export const atOrAbove = (r: CheckLevel, threshold: CheckLevel): boolean => LEVELS.indexOf(r) >= LEVELS.indexOf(threshold);
export const worst = (rs: readonly CheckLevel[]): CheckLevel => rs.reduce<CheckLevel>((a, b) => (atOrAbove(b, a) ? b : a), 'pass');

export interface Verdict { result: CheckLevel; detail: string; fix: string | null }
/** One line of the contract's `checks` list. */
export interface CheckResult extends Verdict { id: string; title: string }


/** A Deployment or StatefulSet as the rules see it, from the cluster or from a manifest. */
export interface CheckWorkload {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  namespace: string;
  uid: string | null;
  /** spec.replicas with its default (1). */
  replicas: number;
  /** spec.revisionHistoryLimit with its default (10). */
  revisionHistoryLimit: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  /** deployment.kubernetes.io/revision of a live Deployment. */
  revision: number | null;
  /** The manifest it was read from (its first line), null when read from the cluster. */
  file: { path: string; line: number } | null;
}


/**
 * Everything a rule may read about one workload: the workload, what the cluster holds near
 * it, and what the given files hold beside it (the files win: they are what will be applied).
 */
export interface CheckContext {
  workload: CheckWorkload;
  strict: boolean;
  /** The live pods the workload's selector picks (for a manifest: those of the running workload it replaces). */
  pods: Reading<Pod[]>;
  metrics: Reading<PodMetrics[]>;
  /** The live ReplicaSets a Deployment owns (for a manifest: those of the live Deployment of that name). */
  history: Reading<{ liveRevision: number | null; replicaSets: ReplicaSet[] }>;
  pdbs: { files: PodDisruptionBudget[]; cluster: Reading<PodDisruptionBudget[]> };
  alertRules: { files: PrometheusRule[]; cluster: Reading<PrometheusRule[]> };
  /** Key names of a Secret/ConfigMap by `Kind/name`, from the files, else the cluster. */
  keys(kind: 'Secret' | 'ConfigMap', name: string): Reading<KeyNames>;
}

export interface Rule {
  id: string;
  title: string;
  check(ctx: CheckContext): Verdict;
}

export const containersOf = (w: CheckWorkload): Container[] => w.template.spec.containers ?? [];
