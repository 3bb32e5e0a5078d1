import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { clusterError, usageError } from '../errors';

export interface KubeconfigFlags { kubeconfig?: string; context?: string }

export interface LoadedKubeconfig {
  kc: KubeConfig;
  /** Where the configuration came from, for error messages. */
  sources: string[];
  context: string;
  server: string;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

function readFile(file: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (e) {
    throw usageError(`cannot load kubeconfig ${file}: ${(e as Error).message}`, 'fix the file or point --kubeconfig at another one');
  }
  return kc;
}

/**
 * kubectl's merge of several kubeconfig files: the first file to define a cluster, user
 * or context name wins, and so does the first non-empty current-context; missing files
 * are skipped. client-node's loadFromDefault differs on all three (last current-context
 * wins, duplicate names throw, a missing file throws), hence this.
 */
function mergeFiles(files: string[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let current = '';
  for (const f of files) {
    const part = readFile(f);
    for (const c of part.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of part.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of part.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    current ||= part.getCurrentContext() ?? '';
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext: current });
  return kc;
}

function load(flags: KubeconfigFlags, env: NodeJS.ProcessEnv): { kc: KubeConfig; sources: string[] } {
  if (flags.kubeconfig) {
    if (!fs.existsSync(flags.kubeconfig)) {
      throw usageError(`kubeconfig ${flags.kubeconfig} does not exist`, 'pass the path of an existing file to --kubeconfig');
    }
    return { kc: readFile(flags.kubeconfig), sources: [flags.kubeconfig] };
  }
  const listed = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  const present = listed.filter((f) => fs.existsSync(f));
  if (present.length > 0) return { kc: mergeFiles(present), sources: present };
  const home = path.join(env.HOME || os.homedir(), '.kube', 'config');
  if (listed.length === 0 && fs.existsSync(home)) return { kc: readFile(home), sources: [home] };
  if (env.KUBERNETES_SERVICE_HOST && fs.existsSync(path.join(SA_DIR, 'token'))) {
    const kc = new KubeConfig();
    kc.loadFromCluster();
    return { kc, sources: ['in-cluster service account'] };
  }
  const looked = listed.length ? `KUBECONFIG=${listed.join(path.delimiter)} names no existing file` : `${home} does not exist`;
  throw clusterError(`no cluster configured: ${looked} and this is not a pod with a service account`,
    'pass --kubeconfig PATH, set KUBECONFIG, or run inside the cluster');
}

/** Loads the kubeconfig the way kubectl does and selects the context, before any client is made. */
export function loadKubeconfig(flags: KubeconfigFlags, env: NodeJS.ProcessEnv = process.env): LoadedKubeconfig {
  const { kc, sources } = load(flags, env);
  const where = sources.join(path.delimiter);
  const names = kc.getContexts().map((c) => c.name);
  const context = flags.context || kc.getCurrentContext();
  if (!context) {
    throw usageError(`no current context is set in ${where}`, `pass --context NAME; contexts are: ${names.join(', ') || '(none)'}`);
  }
  if (!kc.getContextObject(context)) {
    throw usageError(`context "${context}" not found in ${where}; contexts are: ${names.join(', ') || '(none)'}`,
      'pass one of those to --context');
  }
  // Clients capture the server at creation but resolve credentials per request from the
  // current context: switch before any client exists so the two can never disagree.
  kc.setCurrentContext(context);
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw usageError(`context "${context}" in ${where} names a cluster that is not defined`, 'fix the kubeconfig or pick another --context');
  }
  return { kc, sources, context, server: cluster.server };
}
