import { CliError } from '../errors';
import type { KubeStatus, List } from '../kube/types';
import { Transport, TransportError, type RequestOptions, type WatchHandler } from './transport';

/** An HTTP error from the API server, with the Status it sent. Kind `cluster` (exit 3). */
export class ApiError extends CliError {
  constructor(readonly code: number, readonly reason: string, message: string, hint?: string) {
    super('cluster', message, hint);
    this.name = 'ApiError';
  }
}

/** No HTTP answer at all (timeout, refused, reset, TLS); `code` is the transport's (TIMEOUT, ECONNRESET...). */
export class UnreachableError extends CliError {
  constructor(readonly code: string, message: string, hint?: string) {
    super('cluster', message, hint);
    this.name = 'UnreachableError';
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.code === 404;

export const PAGE_SIZE = 500;

function parseStatus(text: string): KubeStatus | null {
  try {
    const j = JSON.parse(text) as KubeStatus;
    return j && j.kind === 'Status' ? j : null;
  } catch {
    return null;
  }
}

export interface ApiContext { context: string; server: string; namespace: string }

export class KubeApi {
  constructor(private readonly t: Transport, readonly ctx: ApiContext) {}

  private fail(method: string, path: string, status: number, text: string): ApiError {
    const st = parseStatus(text);
    const reason = st?.reason ?? (status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 404 ? 'NotFound' : `HTTP ${status}`);
    const message = `Error from server (${reason}): ${st?.message ?? (text.trim().slice(0, 200) || `${method} ${path} returned ${status}`)}`;
    const { context, namespace } = this.ctx;
    const hint =
      status === 401 ? `the API server rejected the credentials of context "${context}"; refresh them or pick another --context`
      : status === 403 ? `your account lacks this permission in namespace "${namespace}"; ask for it or use a context that has it`
      : undefined;
    return new ApiError(status, reason, message, hint);
  }

  private unreachable(e: TransportError): UnreachableError {
    const { server, context } = this.ctx;
    if (e.code === 'TIMEOUT') {
      return new UnreachableError(e.code, `the API server ${server} did not answer: ${e.message}`,
        `check that the cluster of context "${context}" is up, or raise --request-timeout`);
    }
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(e.code)) {
      return new UnreachableError(e.code, `TLS verification of ${server} failed (${e.code}): ${e.message}`,
        `the kubeconfig's certificate-authority does not match the server of context "${context}"`);
    }
    return new UnreachableError(e.code, `cannot reach the API server ${server}: ${e.message}`,
      `check that the cluster of context "${context}" is up and reachable from here (kubectl config view --minify)`);
  }

  async raw(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, opts: RequestOptions = {}): Promise<string> {
    let res;
    try {
      res = await this.t.request(method, path, opts);
    } catch (e) {
      if (e instanceof TransportError) throw this.unreachable(e);
      // Exec credential plugins and token files fail here, before any request is sent.
      throw new CliError('cluster', `cannot get credentials for ${this.ctx.server}: ${(e as Error).message.trim()}`,
        `the credentials of context "${this.ctx.context}" could not be obtained; log in again (your cloud's login or get-credentials command)`);
    }
    if (res.status < 200 || res.status > 299) throw this.fail(method, path, res.status, res.text);
    return res.text;
  }

  async get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return JSON.parse(await this.raw('GET', path, { query })) as T;
  }

  /** GET that answers null for 404; every other failure still throws. */
  async getOptional<T>(path: string): Promise<T | null> {
    try {
      return await this.get<T>(path);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /**
   * Lists every page (limit/continue). When a continue token expires (410) the list
   * restarts from the beginning, as kubectl's FollowContinue does.
   */
  async list<T>(path: string, query: Record<string, string | undefined> = {}): Promise<List<T> & { metadata: { resourceVersion?: string } }> {
    for (let attempt = 0; ; attempt++) {
      const items: T[] = [];
      let cont: string | undefined;
      let rv: string | undefined;
      try {
        do {
          const page = await this.get<List<T>>(path, { ...query, limit: PAGE_SIZE, continue: cont });
          items.push(...(page.items ?? []));
          rv = page.metadata?.resourceVersion;
          cont = page.metadata?.continue || undefined;
        } while (cont);
        return { items, metadata: { resourceVersion: rv } };
      } catch (e) {
        if (e instanceof ApiError && e.code === 410 && attempt < 2) continue;
        throw e;
      }
    }
  }

  async text(path: string, query?: RequestOptions['query']): Promise<string> {
    return this.raw('GET', path, { query, accept: '*/*' });
  }

  async watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: WatchHandler, done: (err: unknown) => void): Promise<AbortController> {
    try {
      return await this.t.watch(path, query, onEvent, done);
    } catch (e) {
      if (e instanceof TransportError) throw this.unreachable(e);
      throw e;
    }
  }
}

export const paths = {
  namespace: (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}`,
  pods: (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`,
  pod: (ns: string, name: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`,
  deployments: (ns: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments`,
  deployment: (ns: string, name: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments/${encodeURIComponent(name)}`,
  replicasets: (ns: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/replicasets`,
  events: (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/events`,
};
