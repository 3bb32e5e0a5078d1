// Kubeconfig files pointing at a simulator (or anywhere): cluster with
// certificate-authority-data, user with a bearer token, a context with a namespace.
import fs from 'node:fs';
import path from 'node:path';
import { dump, load } from 'js-yaml';

export interface KubeconfigEntry {
  server: string;
  /** PEM of the CA; omitted → insecure-skip-tls-verify. */
  caCert?: string;
  token?: string;
  context?: string;     // default "sim"
  cluster?: string;     // default = context
  user?: string;        // default = context
  namespace?: string;   // default "dhakacart"
  /** Make this the current-context (default true for a new file, false when merging). */
  current?: boolean;
}

interface Named<T> { name: string; [k: string]: unknown; cluster?: T; user?: T; context?: T }
interface KubeconfigDoc { apiVersion: string; kind: string; preferences: Record<string, unknown>; clusters: Named<unknown>[]; users: Named<unknown>[]; contexts: Named<unknown>[]; 'current-context': string }

/** Write (or add to) a kubeconfig file; returns its path. Entries replace same-named ones. */
export function writeKubeconfig(file: string, entry: KubeconfigEntry, opts: { merge?: boolean } = {}): string {
  const ctx = entry.context ?? 'sim';
  const clusterName = entry.cluster ?? ctx, userName = entry.user ?? ctx;
  let doc: KubeconfigDoc = { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], users: [], contexts: [], 'current-context': '' };
  const merging = !!opts.merge && fs.existsSync(file);
  if (merging) doc = load(fs.readFileSync(file, 'utf8')) as KubeconfigDoc;
  const upsert = (list: Named<unknown>[], item: Named<unknown>) => { const i = list.findIndex((x) => x.name === item.name); if (i >= 0) list[i] = item; else list.push(item); };
  const cluster: Record<string, unknown> = { server: entry.server };
  if (entry.caCert) cluster['certificate-authority-data'] = Buffer.from(entry.caCert).toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  upsert(doc.clusters, { name: clusterName, cluster });
  upsert(doc.users, { name: userName, user: entry.token ? { token: entry.token } : {} });
  upsert(doc.contexts, { name: ctx, context: { cluster: clusterName, user: userName, namespace: entry.namespace ?? 'dhakacart' } });
  if (entry.current ?? !merging) doc['current-context'] = ctx;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, dump(doc), { mode: 0o600 });
  return file;
}
