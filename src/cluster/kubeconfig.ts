import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { load as loadYaml } from 'js-yaml';
import { clusterError, usageError } from '../errors';

/** kubectl's connection flags; each overrides the kubeconfig as in kubectl (clientcmd's overrides). */
export interface ConnectionFlags {
  cluster?: string;
  user?: string;
  server?: string;
  token?: string;
  as?: string;
  asGroups?: string[];
  certificateAuthority?: string;
  tlsServerName?: string;
  insecureSkipTlsVerify?: boolean;
}

export interface KubeconfigFlags extends ConnectionFlags { kubeconfig?: string; context?: string }

export interface LoadedKubeconfig {
  kc: KubeConfig;
  /** Where the configuration came from, for error messages. */
  sources: string[];
  context: string;
  /** The server for messages: a password in it is masked (kubectl prints user:***). */
  server: string;
  /** Impersonate-Group values (--as-group); client-node sends only Impersonate-User itself. */
  impersonateGroups: string[];
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/@]*)@/i;

/** https://user:pass@host → https://user:***@host, as kubectl prints it. */
function maskServer(server: string): string {
  return server.replace(USERINFO, (_m, scheme: string, info: string) => `${scheme}${info.includes(':') ? `${info.slice(0, info.indexOf(':'))}:***` : info}@`);
}

/**
 * The server without its user:pass, which becomes basic auth. kubectl does the same: Go's
 * HTTP client sets it before client-go's token or exec wrappers run, and they keep an
 * Authorization header already set, so it wins over them too. fetch refuses such a URL,
 * and its error would carry the password into our messages.
 */
function splitUserinfo(server: string): { server: string; username?: string; password?: string } {
  const m = USERINFO.exec(server);
  if (!m) return { server };
  const info = m[2]!;
  const colon = info.indexOf(':');
  const dec = (t: string) => { try { return decodeURIComponent(t); } catch { return t; } };
  return { server: server.replace(USERINFO, '$1'), username: dec(colon < 0 ? info : info.slice(0, colon)), password: colon < 0 ? '' : dec(info.slice(colon + 1)) };
}

const badFile = (file: string, why: string) =>
  usageError(`error loading kubeconfig ${file}: ${why}`, 'fix the file or point --kubeconfig (or KUBECONFIG) at another one');

/** One kubeconfig file, or null when it is empty (kubectl treats an empty file as no configuration). */
function readFile(file: string): KubeConfig | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw badFile(file, `cannot read it (${err.code === 'EISDIR' ? 'it is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message})`);
  }
  if (text.trim() === '') return null;
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch (e) {
    throw badFile(file, `not YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return null;
  if (typeof doc !== 'object' || Array.isArray(doc)) throw badFile(file, 'not a kubeconfig (expected a mapping with clusters, users and contexts)');
  const kc = new KubeConfig();
  try {
    kc.loadFromString(text);
    kc.makePathsAbsolute(path.dirname(file));
  } catch (e) {
    throw badFile(file, `not a valid kubeconfig: ${(e as Error).message}`);
  }
  return kc;
}

/**
 * kubectl's merge of several kubeconfig files: the first file to define a cluster, user
 * or context name wins, and so does the first non-empty current-context; missing and
 * empty files are skipped. client-node's loadFromDefault differs on all of these (last
 * current-context wins, duplicate names throw, a missing file throws), hence this.
 */
function mergeFiles(parts: KubeConfig[]): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let current = '';
  for (const part of parts) {
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
    return { kc: readFile(flags.kubeconfig) ?? new KubeConfig(), sources: [flags.kubeconfig] };
  }
  const listed = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  const present = listed.filter((f) => fs.existsSync(f));
  const parts = present.map(readFile).filter((k): k is KubeConfig => k !== null);
  if (parts.length > 0) return { kc: mergeFiles(parts), sources: present };
  const home = path.join(env.HOME || os.homedir(), '.kube', 'config');
  if (listed.length === 0 && fs.existsSync(home)) return { kc: readFile(home) ?? new KubeConfig(), sources: [home] };
  if (env.KUBERNETES_SERVICE_HOST && fs.existsSync(path.join(SA_DIR, 'token'))) {
    const kc = new KubeConfig();
    kc.loadFromCluster();
    return { kc, sources: ['in-cluster service account'] };
  }
  // kubectl --server URL --token T works with no kubeconfig at all.
  if (flags.server) return { kc: new KubeConfig(), sources: ['the command-line flags'] };
  const looked = listed.length ? `KUBECONFIG=${listed.join(path.delimiter)} names no existing, non-empty file` : `${home} does not exist`;
  throw clusterError(`no cluster configured: ${looked} and this is not a pod with a service account`,
    'pass --kubeconfig PATH, set KUBECONFIG, or run inside the cluster');
}

/** The cluster with kubectl's flag overrides applied (clientcmd's getCluster). */
function overrideCluster(base: Cluster, f: ConnectionFlags): Cluster {
  let caFile = base.caFile;
  let caData = base.caData;
  if (f.certificateAuthority) {
    if (!fs.existsSync(f.certificateAuthority)) {
      throw usageError(`--certificate-authority ${f.certificateAuthority} does not exist`, 'pass the path of the cluster CA certificate (PEM)');
    }
    // A CA file given on the command line replaces the kubeconfig's inline CA as well.
    caFile = path.resolve(f.certificateAuthority);
    caData = undefined;
  } else if (f.insecureSkipTlsVerify) {
    // kubectl: --insecure-skip-tls-verify alone drops the kubeconfig's CA instead of refusing it.
    caFile = undefined;
    caData = undefined;
  }
  return {
    ...base,
    server: f.server ?? base.server,
    caFile,
    caData,
    skipTLSVerify: f.insecureSkipTlsVerify ?? base.skipTLSVerify,
    tlsServerName: f.tlsServerName ?? base.tlsServerName,
  };
}

/** The user minus every way of authenticating by header (token, exec, auth provider, basic); client certificates stay. */
const headerless = (u: User): User =>
  ({ name: u.name, certData: u.certData, certFile: u.certFile, keyData: u.keyData, keyFile: u.keyFile, impersonateUser: u.impersonateUser });

/** The user with --token and --as applied; a token given replaces the other credentials. */
function overrideUser(base: User, f: ConnectionFlags): User {
  const withToken: User = f.token !== undefined ? { ...headerless(base), token: f.token } : base;
  return f.as !== undefined ? { ...withToken, impersonateUser: f.as } : withToken;
}

/** Loads the kubeconfig the way kubectl does, applies the connection flags and selects the context, before any client is made. */
export function loadKubeconfig(flags: KubeconfigFlags, env: NodeJS.ProcessEnv = process.env): LoadedKubeconfig {
  const { kc, sources } = load(flags, env);
  const where = sources.join(path.delimiter);
  const names = kc.getContexts().map((c) => c.name);
  const context = flags.context || kc.getCurrentContext() || '';
  let ctx = context ? kc.getContextObject(context) : null;
  if (!context && !flags.server) {
    const empty = kc.getContexts().length === 0 && kc.getClusters().length === 0;
    throw usageError(empty ? `${where} defines no contexts` : `no current context is set in ${where}`,
      empty ? 'pass --kubeconfig with a kubeconfig that has a context, or --server' : `pass --context NAME; contexts are: ${names.join(', ') || '(none)'}`);
  }
  if (context && !ctx) {
    throw usageError(`context "${context}" not found in ${where}; contexts are: ${names.join(', ') || '(none)'}`,
      'pass one of those to --context');
  }
  ctx ??= { name: '', cluster: '', user: '' };
  const clusterName = flags.cluster ?? ctx.cluster;
  const userName = flags.user ?? ctx.user;
  const baseCluster = clusterName ? kc.getCluster(clusterName) : null;
  const by = flags.cluster ? '--cluster' : `context "${context}"`;
  if (!baseCluster && !flags.server) {
    throw usageError(clusterName ? `${by} names cluster "${clusterName}", which is not defined in ${where}` : `context "${context}" names no cluster in ${where}`,
      `fix the kubeconfig, pick another --context, or pass --server; clusters are: ${kc.getClusters().map((c) => c.name).join(', ') || '(none)'}`);
  }
  const baseUser = userName ? kc.getUser(userName) : null;
  if (userName && !baseUser && flags.token === undefined) {
    throw usageError(`${flags.user ? '--user' : `context "${context}"`} names user "${userName}", which is not defined in ${where}`,
      `fix the kubeconfig or pick another --context; users are: ${kc.getUsers().map((u) => u.name).join(', ') || '(none)'}`);
  }
  const withInfo = overrideCluster(baseCluster ?? { name: clusterName || 'command-line', server: '', skipTLSVerify: false }, flags);
  const { server: bare, username, password } = splitUserinfo(withInfo.server);
  const cluster: Cluster = { ...withInfo, server: bare };
  // An anonymous context still needs a user object: client-node applies the TLS settings only when there is one.
  const overridden = overrideUser(baseUser ?? { name: userName || 'command-line' }, flags);
  // client-node would let a token's Bearer header replace Basic: keep only what kubectl sends.
  const user: User = username === undefined ? overridden : { ...headerless(overridden), username, password };
  if (cluster.skipTLSVerify && (cluster.caFile || cluster.caData)) {
    throw usageError('specifying a root certificates file with the insecure flag is not allowed',
      `${by === '--cluster' ? `cluster "${cluster.name}"` : `the cluster of context "${context}"`} sets both certificate-authority and insecure-skip-tls-verify; keep one`);
  }
  // Clients capture the server at creation but resolve credentials per request from the
  // current context: one context, built here, so the two can never disagree.
  const name = context || 'command-line';
  const resolved = new KubeConfig();
  resolved.loadFromOptions({
    clusters: [cluster], users: [user],
    contexts: [{ name, cluster: cluster.name, user: user.name, namespace: ctx.namespace }],
    currentContext: name,
  });
  return { kc: resolved, sources, context: name, server: maskServer(withInfo.server), impersonateGroups: flags.asGroups ?? [] };
}

/** The context names of the kubeconfig kubectl would read (for completion and fleets), whatever state they are in, and where they were read. */
export function kubeconfigContexts(flags: Pick<KubeconfigFlags, 'kubeconfig'>, env: NodeJS.ProcessEnv = process.env): { names: string[]; where: string } {
  const { kc, sources } = load(flags, env);
  return { names: kc.getContexts().map((c) => c.name), where: sources.join(path.delimiter) };
}

export const listContexts = (flags: Pick<KubeconfigFlags, 'kubeconfig'>, env: NodeJS.ProcessEnv = process.env): string[] => kubeconfigContexts(flags, env).names;
