/**
 * Every API path the plugin requests, in one place. `ns` null is the cluster-wide
 * collection (-A); a name is always encoded, whatever it holds.
 */
const enc = encodeURIComponent;
const core = (ns: string | null) => `/api/v1${ns === null ? '' : `/namespaces/${enc(ns)}`}`;
const apps = (ns: string | null) => `/apis/apps/v1${ns === null ? '' : `/namespaces/${enc(ns)}`}`;

export const paths = {
  namespaces: () => '/api/v1/namespaces',
  namespace: (ns: string) => `/api/v1/namespaces/${enc(ns)}`,
  nodes: () => '/api/v1/nodes',
  node: (name: string) => `/api/v1/nodes/${enc(name)}`,
  pods: (ns: string | null) => `${core(ns)}/pods`,
  pod: (ns: string, name: string) => `${core(ns)}/pods/${enc(name)}`,
  podLog: (ns: string, name: string) => `${core(ns)}/pods/${enc(name)}/log`,
  /** The API server's proxy to a pod's port: `GET` of the app itself. */
  podProxy: (ns: string, name: string, port: number, path: string) => `${core(ns)}/pods/${enc(`${name}:${port}`)}/proxy${path}`,
  services: (ns: string | null) => `${core(ns)}/services`,
  /** The API server's proxy to a Service's port (a number or a port name): one of its ready endpoints. */
  serviceProxy: (ns: string, name: string, port: number | string, path: string) => `${core(ns)}/services/${enc(`${name}:${port}`)}/proxy${path}`,
  service: (ns: string, name: string) => `${core(ns)}/services/${enc(name)}`,
  endpoints: (ns: string, name: string) => `${core(ns)}/endpoints/${enc(name)}`,
  configmaps: (ns: string | null) => `${core(ns)}/configmaps`,
  /** A Secret or ConfigMap, read for its key names. */
  keyed: (ns: string, kind: 'Secret' | 'ConfigMap', name: string) => `${core(ns)}/${kind === 'Secret' ? 'secrets' : 'configmaps'}/${enc(name)}`,
  events: (ns: string) => `${core(ns)}/events`,
  /** events.k8s.io/v1: the same events as core/v1, some only here. */
  newEvents: (ns: string) => `/apis/events.k8s.io/v1/namespaces/${enc(ns)}/events`,
  deployments: (ns: string | null) => `${apps(ns)}/deployments`,
  deployment: (ns: string, name: string) => `${apps(ns)}/deployments/${enc(name)}`,
  replicasets: (ns: string) => `${apps(ns)}/replicasets`,
  replicaset: (ns: string, name: string) => `${apps(ns)}/replicasets/${enc(name)}`,
  statefulsets: (ns: string | null) => `${apps(ns)}/statefulsets`,
  podDisruptionBudgets: (ns: string) => `/apis/policy/v1/namespaces/${enc(ns)}/poddisruptionbudgets`,
  /** The Prometheus Operator's CRD; ns null: every namespace. */
  prometheusRules: (ns: string | null) => `/apis/monitoring.coreos.com/v1${ns === null ? '' : `/namespaces/${enc(ns)}`}/prometheusrules`,
  podMetrics: (ns: string) => `/apis/metrics.k8s.io/v1beta1/namespaces/${enc(ns)}/pods`,
  accessReviews: () => '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
};
