import fs from 'node:fs';
import { runChecks } from '../../check/index';
import { collectManifests, type Manifests } from '../../check/manifests';
import type { CheckContext, CheckLevel, CheckResult, CheckWorkload } from '../../check/types';
import { atOrAbove, worst } from '../../check/types';
import { workloadRef } from '../../check/fix';
import { toWorkload } from '../../check/workload';
import type { KubeApi } from '../../cluster/api';
import { connect } from '../../cluster/connect';
import { clusterUnreachable, gatherCheck, gatherKeys, read, unreadable, type CheckCluster, type KeyNames, type Reading } from '../../cluster/gatherCheck';
import { CliError, clusterError, ExitCode, usageError } from '../../errors';
import type { Io } from '../../io';
import { didYouMean } from '../../kube/nearest';
import { pullSecretRefs, referencedObjects, uniqueRefs } from '../../kube/podSpecRefs';
import type { PodSpec } from '../../kube/types';
import { selectorMatches } from '../../kube/selector';
import type { GlobalOptions } from '../../options';
import { startSpinner } from '../../render/spinner';
import type { Outcome } from '../types';
import type { CheckArgs, WorkloadName } from './index';
import { readManifests } from './files';

export interface WorkloadReport { target: string; namespace: string; file: string | null; line: number | null; checks: CheckResult[] }
/** The contract's `{target, checks}` per workload, and the worst result of all. */
export interface CheckReport { source: 'cluster' | 'files'; failOn: CheckLevel; result: CheckLevel; workloads: WorkloadReport[] }

const NO_FILES: Manifests = { workloads: [], pdbs: [], alertRules: [], keys: new Map() };

/** The workloads named on the command line, in their order; every name must match one. */
function pick(all: CheckWorkload[], names: WorkloadName[], notFound: (n: WorkloadName, hint: string | undefined) => CliError): CheckWorkload[] {
  if (!names.length) return all;
  return names.map((n) => {
    const w = all.find((x) => x.name === n.name && (n.kind === null || x.kind === n.kind));
    if (!w) throw notFound(n, didYouMean(n.name, all.filter((x) => n.kind === null || x.kind === n.kind).map((x) => x.name)) ?? undefined);
    return w;
  });
}

const spelled = (n: WorkloadName) => `${n.kind ? n.kind.toLowerCase() : 'Deployment or StatefulSet'} "${n.name}"`;

/** The context of one workload: the cluster's readings narrowed to it, the files' objects beside it. */
function contextOf(w: CheckWorkload, c: CheckCluster, keys: Map<string, Reading<KeyNames>>, files: Manifests, strict: boolean): CheckContext {
  const mine = (labels: Record<string, string> | undefined) => selectorMatches(w.selector, labels);
  const pods: CheckContext['pods'] = c.pods.state === 'read' ? read(c.pods.value.filter((p) => mine(p.metadata.labels))) : c.pods;
  let history: CheckContext['history'];
  if (c.replicaSets.state !== 'read') history = c.replicaSets;
  else if (!w.file) history = read({ liveRevision: w.revision, replicaSets: c.replicaSets.value });
  else if (c.deployments.state !== 'read') history = c.deployments;
  else {
    const live = c.deployments.value.find((d) => d.metadata.name === w.name);
    history = read({ liveRevision: live ? toWorkload('Deployment', live, w.namespace).revision ?? 1 : null, replicaSets: c.replicaSets.value });
  }
  return {
    workload: w, strict, pods, metrics: c.metrics, history,
    pdbs: { files: files.pdbs, cluster: c.pdbs },
    alertRules: { files: files.alertRules, cluster: c.alertRules },
    keys: (kind, name) => {
      const inFiles = files.keys.get(`${w.namespace}/${kind}/${name}`);
      return inFiles ? read(inFiles) : keys.get(`${kind}/${name}`) ?? unreadable('not read');
    },
  };
}

/** What the cluster holds for manifests of one namespace; a cluster that cannot be reached or configured costs only that. */
async function clusterFor(api: KubeApi | Error, ns: string, specs: CheckWorkload[], files: Manifests) {
  const cluster = api instanceof Error ? clusterUnreachable(`not read, no cluster (${api.message})`) : await gatherCheck(api, ns, false);
  const wanted = checkedRefs(specs.map((w) => w.template.spec)).filter((r) => !files.keys.has(`${ns}/${r.kind}/${r.name}`));
  const keys = api instanceof Error || cluster.unreachable !== null
    ? new Map(wanted.map((r) => [`${r.kind}/${r.name}`, unreadable(cluster.unreachable ?? '')]))
    : await gatherKeys(api, ns, wanted);
  return { cluster, keys };
}

/** What the checklist verifies exists: the Secrets and ConfigMaps the pods read, and their imagePullSecrets. */
function checkedRefs(specs: PodSpec[]): { kind: 'Secret' | 'ConfigMap'; name: string }[] {
  return uniqueRefs([...referencedObjects(specs), ...specs.flatMap(pullSecretRefs)]);
}

/** The checklist against a namespace's live Deployments and StatefulSets: all, or those named (each must exist). */
export async function checkLive(api: KubeApi, ns: string, names: WorkloadName[], strict: boolean): Promise<WorkloadReport[]> {
  const cluster = await gatherCheck(api, ns, true);
  const live = [
    ...(cluster.deployments.state === 'read' ? cluster.deployments.value.map((d) => toWorkload('Deployment', d, ns)) : []),
    ...(cluster.statefulSets.state === 'read' ? cluster.statefulSets.value.map((s) => toWorkload('StatefulSet', s, ns)) : []),
  ];
  const chosen = pick(live, names, (n, hint) => clusterError(`${spelled(n)} not found in namespace "${ns}"`, hint ? `did you mean ${hint}?` : 'kubectl get deployments,statefulsets lists them'));
  if (!chosen.length) throw clusterError(`no Deployment or StatefulSet in namespace "${ns}"`, 'pass the right -n NAMESPACE, or check manifests with -f');
  const keys = await gatherKeys(api, ns, checkedRefs(chosen.map((w) => w.template.spec)));
  return chosen.map((w) => report(w, contextOf(w, cluster, keys, NO_FILES, strict)));
}

export async function runCheck(g: GlobalOptions, a: CheckArgs, io: Io): Promise<Outcome<CheckReport>> {
  const spinner = await startSpinner(io, g.output, a.files.length ? 'Reading manifests...' : `Reading workloads in ${g.namespace}...`);
  const reports: WorkloadReport[] = [];
  try {
    if (a.files.length) {
      const files = collectManifests(readManifests(a.files, () => fs.readFileSync(0, 'utf8')), g.namespace);
      if (!files.workloads.length) throw usageError(`no Deployment or StatefulSet in ${a.files.join(', ')}`, 'check needs apps/v1 Deployments or StatefulSets (kustomize build . | kubectl dhakacart check -f -)');
      const chosen = pick(files.workloads, a.workloads, (n, hint) => usageError(`${spelled(n)} is not in ${a.files.join(', ')}`, hint && `did you mean ${hint}?`));
      let api: KubeApi | Error;
      try {
        api = connect(g);
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        api = e;
      }
      for (const ns of [...new Set(chosen.map((w) => w.namespace))]) {
        const here = chosen.filter((w) => w.namespace === ns);
        const { cluster, keys } = await clusterFor(api, ns, here, files);
        for (const w of here) reports.push(report(w, contextOf(w, cluster, keys, files, a.strict)));
      }
    } else {
      reports.push(...await checkLive(connect(g), g.namespace, a.workloads, a.strict));
    }
  } finally {
    spinner.stop();
  }
  const result = worst(reports.flatMap((r) => r.checks.map((c) => c.result)));
  return {
    result: { source: a.files.length ? 'files' : 'cluster', failOn: a.failOn, result, workloads: reports },
    exitCode: atOrAbove(result, a.failOn) ? ExitCode.problems : ExitCode.ok,
  };
}

function report(w: CheckWorkload, ctx: CheckContext): WorkloadReport {
  return { target: workloadRef(w), namespace: w.namespace, file: w.file?.path ?? null, line: w.file?.line ?? null, checks: runChecks(ctx) };
}
