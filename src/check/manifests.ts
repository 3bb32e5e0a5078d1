import { load } from 'js-yaml';
import { usageError } from '../errors';
import type { Deployment, ObjectMeta, PodDisruptionBudget, PrometheusRule, StatefulSet } from '../kube/types';
import type { CheckWorkload } from './types';
import { toWorkload } from './workload';

/** A document of a manifest, where it starts (1-based line) and what it holds. */
export interface ManifestDoc { path: string; line: number; object: { apiVersion?: string; kind?: string; metadata?: ObjectMeta } & Record<string, unknown> }

/** What the rules take from the given files: the workloads to check and the objects beside them. */
export interface Manifests {
  workloads: CheckWorkload[];
  pdbs: PodDisruptionBudget[];
  alertRules: PrometheusRule[];
  /** Key names of the files' Secrets and ConfigMaps by `NS/Kind/name` (values are dropped here). */
  keys: Map<string, string[]>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The documents of one YAML (or JSON) stream. A line `---` (or `...`) at column 0 always
 * ends a document in YAML, so each is parsed on its own and keeps its line for SARIF;
 * a `List` (what `kubectl get -o yaml` prints) counts as its items.
 */
export function parseDocuments(path: string, text: string): ManifestDoc[] {
  const lines = text.split(/\r?\n/);
  const chunks: { line: number; text: string[] }[] = [{ line: 1, text: [] }];
  lines.forEach((l, i) => {
    if (/^(---|\.\.\.)(\s|$)/.test(l)) chunks.push({ line: i + 1, text: [] });
    chunks[chunks.length - 1]!.text.push(l.startsWith('...') ? '' : l);
  });
  const out: ManifestDoc[] = [];
  for (const c of chunks) {
    // The first real line of the document: past its `---` and leading comments; none, an empty document.
    const first = c.text.findIndex((l, i) => !(i === 0 && /^---\s*$/.test(l)) && l.trim() !== '' && !l.trimStart().startsWith('#'));
    if (first < 0) continue;
    let doc: unknown;
    try {
      doc = load(c.text.join('\n'), { filename: path });
    } catch (e) {
      const mark = (e as { mark?: { line?: number } }).mark;
      const at = mark?.line !== undefined ? `:${c.line + mark.line}` : '';
      throw usageError(`${path}${at}: not valid YAML: ${((e as Error & { reason?: string }).reason ?? (e as Error).message).split('\n')[0]}`, 'fix the manifest, or check the output of kustomize build / helm template');
    }
    if (doc === null || doc === undefined) continue;
    if (!isObject(doc)) throw usageError(`${path}:${c.line}: a document is not a Kubernetes object`, 'each document needs apiVersion, kind and metadata');
    const line = c.line + first;
    const items = doc.kind === 'List' && Array.isArray(doc.items) ? doc.items.filter(isObject) : [doc];
    for (const o of items) out.push({ path, line, object: o as ManifestDoc['object'] });
  }
  return out;
}

/** The workloads and the objects the rules look for, from every document; `namespace` for those without one. */
export function collectManifests(docs: ManifestDoc[], namespace: string): Manifests {
  const m: Manifests = { workloads: [], pdbs: [], alertRules: [], keys: new Map() };
  for (const d of docs) {
    const o = d.object;
    const name = o.metadata?.name;
    if (typeof name !== 'string' || !name) continue;
    const ns = o.metadata?.namespace ?? namespace;
    const meta = { ...o.metadata, name, namespace: ns };
    const group = (o.apiVersion ?? '').split('/').length > 1 ? o.apiVersion!.split('/')[0] : '';
    if ((o.kind === 'Deployment' || o.kind === 'StatefulSet') && group === 'apps') {
      const spec = isObject(o.spec) ? o.spec : {};
      const template = isObject(spec.template) ? spec.template : {};
      const containers = isObject(template.spec) ? template.spec.containers : undefined;
      // The API server refuses these; checking them would pass every container rule for nothing.
      if (!Array.isArray(containers) || !containers.length || !isObject(spec.selector)) {
        throw usageError(`${d.path}:${d.line}: ${o.kind.toLowerCase()}/${name} has no ${isObject(spec.selector) ? 'containers' : 'spec.selector'}`, 'the API server would refuse it: give spec.selector and spec.template.spec.containers');
      }
      m.workloads.push(toWorkload(o.kind, { ...(o as unknown as Deployment & StatefulSet), metadata: meta }, ns, { path: d.path, line: d.line }));
    } else if (o.kind === 'PodDisruptionBudget' && group === 'policy') m.pdbs.push({ ...(o as unknown as PodDisruptionBudget), metadata: meta });
    else if (o.kind === 'PrometheusRule' && group === 'monitoring.coreos.com') m.alertRules.push({ ...(o as unknown as PrometheusRule), metadata: meta });
    else if ((o.kind === 'Secret' || o.kind === 'ConfigMap') && group === '') {
      const keys = ['data', 'stringData', 'binaryData'].flatMap((f) => (isObject(o[f]) ? Object.keys(o[f] as object) : []));
      m.keys.set(`${ns}/${o.kind}/${name}`, [...new Set(keys)].sort());
    }
  }
  return m;
}
