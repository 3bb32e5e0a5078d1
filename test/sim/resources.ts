// The registry of served resources: group/version/kind/plural/namespaced/verbs/shortNames,
// as the API server advertises them in discovery.
export interface SubresourceDef { name: string; kind: string; group?: string; version?: string; verbs: string[] }
export interface ResourceDef {
  group: string;            // '' for core
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: SubresourceDef[];
  /** Store key; defaults to qualified(plural, group). events.k8s.io/v1 events share core events. */
  storage?: string;
  /** Served only when the scenario says so. */
  optional?: 'metrics';
  /** Not stored: computed per request (metrics) or create-only (access reviews). */
  virtual?: boolean;
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const RO = ['get', 'list'];

export const RESOURCES: ResourceDef[] = [
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true, verbs: RW, shortNames: ['po'], categories: ['all'],
    subresources: [
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
      { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    ] },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, verbs: RW.filter((v) => v !== 'deletecollection'), shortNames: ['svc'], categories: ['all'],
    subresources: [{ name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }, { name: 'status', kind: 'Service', verbs: ['get', 'patch', 'update'] }] },
  { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', singular: 'endpoints', namespaced: true, verbs: RW, shortNames: ['ep'] },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true, verbs: RW },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, verbs: RW, shortNames: ['cm'] },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event', namespaced: true, verbs: RW, shortNames: ['ev'] },
  { group: '', version: 'v1', kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false, verbs: RW, shortNames: ['no'],
    subresources: [{ name: 'status', kind: 'Node', verbs: ['get', 'patch', 'update'] }] },
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'],
    subresources: [{ name: 'status', kind: 'Namespace', verbs: ['get', 'patch', 'update'] }] },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment', namespaced: true, verbs: RW, shortNames: ['deploy'], categories: ['all'],
    subresources: [
      { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
      { name: 'status', kind: 'Deployment', verbs: ['get', 'patch', 'update'] },
    ] },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', namespaced: true, verbs: RW, shortNames: ['rs'], categories: ['all'],
    subresources: [
      { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
      { name: 'status', kind: 'ReplicaSet', verbs: ['get', 'patch', 'update'] },
    ] },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', singular: 'statefulset', namespaced: true, verbs: RW, shortNames: ['sts'], categories: ['all'],
    subresources: [
      { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
      { name: 'status', kind: 'StatefulSet', verbs: ['get', 'patch', 'update'] },
    ] },
  { group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', singular: 'event', namespaced: true, verbs: RW, shortNames: ['ev'], storage: 'events' },
  { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', namespaced: false, verbs: ['create'], virtual: true },
  { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics', plural: 'pods', singular: '', namespaced: true, verbs: RO, optional: 'metrics', virtual: true },
  { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics', plural: 'nodes', singular: '', namespaced: false, verbs: RO, optional: 'metrics', virtual: true },
];

/** `deployments.apps`, `pods`: the qualified resource the API server names in messages. */
export const qualified = (plural: string, group: string) => (group ? `${plural}.${group}` : plural);
export const storageKey = (r: ResourceDef) => r.storage ?? qualified(r.plural, r.group);
export const apiVersionOf = (r: { group: string; version: string }) => (r.group ? `${r.group}/${r.version}` : r.version);

export function findResource(group: string, version: string, plural: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}
/** The definition that stores objects of this kind (core preferred). */
export function resourceForKind(apiVersion: string, kind: string): ResourceDef | undefined {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  return RESOURCES.find((r) => r.kind === kind && r.group === group && !r.virtual) ?? RESOURCES.find((r) => r.kind === kind && !r.virtual);
}
export function resourceForStorage(key: string): ResourceDef | undefined {
  return RESOURCES.find((r) => storageKey(r) === key && !r.storage);
}
