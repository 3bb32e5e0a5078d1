import type { ObjectMeta } from '../kube/types';
import type { Change } from './plan';

/** The tool that owns a workload's manifest: its next sync or upgrade puts back what it declares. */
export interface Manager { tool: 'Helm' | 'Argo CD' | 'Flux'; name: string; chart: string | null }

/**
 * Helm stamps `app.kubernetes.io/managed-by: Helm` and `meta.helm.sh/release-name`; Argo CD
 * tracks by the label `argocd.argoproj.io/instance` (or the annotation
 * `argocd.argoproj.io/tracking-id`, beside `app.kubernetes.io/instance`); Flux's controllers
 * label what they apply with `kustomize.toolkit.fluxcd.io/name` or `helm.toolkit.fluxcd.io/name`.
 * Argo CD and Flux come first: they often deploy a Helm chart, and it is their sync that reverts.
 */
export function managerOf(meta: Pick<ObjectMeta, 'labels' | 'annotations'>): Manager | null {
  const l = meta.labels ?? {};
  const a = meta.annotations ?? {};
  const chart = l['helm.sh/chart'] ?? null;
  const argo = l['argocd.argoproj.io/instance'] ?? a['argocd.argoproj.io/instance'] ?? (a['argocd.argoproj.io/tracking-id'] ? (a['argocd.argoproj.io/tracking-id'].split(':')[0] ?? l['app.kubernetes.io/instance'] ?? null) : null);
  if (argo) return { tool: 'Argo CD', name: argo, chart };
  const flux = l['helm.toolkit.fluxcd.io/name'] ?? l['kustomize.toolkit.fluxcd.io/name'];
  if (flux) return { tool: 'Flux', name: flux, chart };
  const release = a['meta.helm.sh/release-name'] ?? (l['app.kubernetes.io/managed-by'] === 'Helm' ? l['app.kubernetes.io/instance'] ?? null : null);
  if (release || l['app.kubernetes.io/managed-by'] === 'Helm') return { tool: 'Helm', name: release ?? 'RELEASE', chart };
  return null;
}

/**
 * A plan's changes as chart values, by the conventions of `helm create` charts
 * (resources.*, livenessProbe.*, image.tag, replicaCount). A chart may name them otherwise;
 * the warning says so.
 */
export function valuesOf(changes: Change[]): string[] {
  const out: string[] = [];
  for (const ch of changes) {
    if (ch.to === null) continue;
    const inContainer = /^spec\.template\.spec\.containers\[[^\]]+\]\.(.+)$/.exec(ch.path)?.[1];
    if (inContainer === 'image') out.push(`image.tag=${String(ch.to).split(':').at(-1)}`);
    else if (inContainer) out.push(`${inContainer}=${ch.to}`);
    else if (ch.path === 'spec.replicas') out.push(`replicaCount=${ch.to}`);
  }
  return out;
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** What to do instead of (or right after) a direct change, so the manager does not undo it. */
export function durableChange(m: Manager, ns: string, values: string[], action: string): string {
  const set = values.map((v) => `--set ${quote(v)}`).join(' ');
  const chart = m.chart ? m.chart.replace(/-v?\d[\w.+-]*$/, '') : 'CHART';
  if (action === 'rollback' && m.tool === 'Helm') return `helm rollback ${m.name} -n ${ns} (helm history ${m.name} -n ${ns} lists the releases)`;
  if (m.tool === 'Helm') {
    return values.length ? `helm upgrade ${m.name} ${chart} -n ${ns} --reuse-values ${set} (or the same keys in its values file; check the chart's names with helm get values ${m.name} -n ${ns})`
      : `the same change in the values of Helm release ${m.name} (helm get values ${m.name} -n ${ns})`;
  }
  if (m.tool === 'Argo CD') {
    return `change it in the Git source of Argo CD application ${m.name}${values.length ? ` (values: ${values.join(', ')})` : ''}, or argocd app set ${m.name}${values.length ? ` ${values.map((v) => `--helm-set ${quote(v)}`).join(' ')}` : ''}; self-heal or the next sync reverts a direct patch`;
  }
  return `change it in the Git source Flux reconciles (${m.name}${values.length ? `; values: ${values.join(', ')}` : ''}); flux suspend the object first if the fix cannot wait for a merge`;
}

/** The warning every change command prints for a managed workload. */
export function managedWarning(meta: Pick<ObjectMeta, 'labels' | 'annotations'>, ns: string, changes: Change[], action: string): string | null {
  const m = managerOf(meta);
  if (!m) return null;
  const by = m.tool === 'Helm' ? `Helm release ${m.name}` : m.tool === 'Argo CD' ? `Argo CD application ${m.name}` : `Flux (${m.name})`;
  const undo = m.tool === 'Helm' ? 'the next helm upgrade' : m.tool === 'Argo CD' ? 'the next Argo CD sync' : 'the next Flux reconciliation';
  return `this Deployment is managed by ${by}: ${undo} will undo a direct change. Make it durable: ${durableChange(m, ns, valuesOf(changes), action)}`;
}
