// /version, /api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version> as real servers
// answer them (legacy discovery JSON; kubectl falls back from aggregated discovery).
import { createHash } from 'node:crypto';
import { RESOURCES, apiVersionOf, isServed, type ResourceDef } from './resources';

export const VERSION_INFO = {
  major: '1', minor: '32', gitVersion: 'v1.32.2', gitCommit: 'f2a7d1a2c15a1d1a2c3b5a0e1a4c4b4d4f2a7d1a', gitTreeState: 'clean',
  buildDate: '2025-02-12T21:19:07Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64',
};

export interface DiscoveryOptions { metrics: boolean; crds: readonly string[]; serverAddress: string }

const served = (o: DiscoveryOptions) => RESOURCES.filter((r) => isServed(r, o));

function groupsOf(o: DiscoveryOptions): { name: string; versions: string[] }[] {
  const out: { name: string; versions: string[] }[] = [];
  for (const r of served(o)) {
    if (!r.group) continue;
    let g = out.find((x) => x.name === r.group);
    if (!g) out.push((g = { name: r.group, versions: [] }));
    if (!g.versions.includes(r.version)) g.versions.push(r.version);
  }
  return out;
}

const hash = (s: string) => createHash('sha256').update(s).digest('base64').slice(0, 11);

function resourceList(rs: ResourceDef[]): unknown[] {
  const out: unknown[] = [];
  for (const r of rs) {
    const e: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames) e.shortNames = r.shortNames;
    if (r.categories) e.categories = r.categories;
    if (!r.virtual) e.storageVersionHash = hash(`${r.group}/${r.version}/${r.plural}`);
    out.push(e);
    for (const s of r.subresources ?? []) {
      const se: Record<string, unknown> = { name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group) { se.group = s.group; se.version = s.version; }
      out.push(se);
    }
  }
  return out;
}

/** The discovery document for a path, or undefined when the path is not a discovery path (or not served). */
export function discovery(path: string, o: DiscoveryOptions): unknown | undefined {
  if (path === '/version') return VERSION_INFO;
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: o.serverAddress }] };
  if (path === '/api/v1') return { kind: 'APIResourceList', groupVersion: 'v1', resources: resourceList(served(o).filter((r) => r.group === '')) };
  const groupDoc = (g: { name: string; versions: string[] }) => {
    const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
    return { name: g.name, versions, preferredVersion: versions[0] };
  };
  if (path === '/apis') return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupsOf(o).map(groupDoc) };
  const m = path.match(/^\/apis\/([^/]+)(?:\/([^/]+))?$/);
  if (!m) return undefined;
  const g = groupsOf(o).find((x) => x.name === m[1]);
  if (!g) return undefined;
  if (!m[2]) return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) };
  if (!g.versions.includes(m[2])) return undefined;
  const rs = served(o).filter((r) => r.group === m[1] && r.version === m[2]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group: m[1]!, version: m[2] }), resources: resourceList(rs) };
}
