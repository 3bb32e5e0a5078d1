// Server-side printing: the meta.k8s.io/v1 Table kubectl asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Columns and cells follow the
// API server's printers (pkg/printers/internalversion/printers.go); cells are generated
// "wide" and kubectl hides the priority-1 columns itself.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { humanDuration } from '../../src/kube/duration';
import type { KObj } from './store';

export interface Column { name: string; type: string; format: string; description: string; priority: number }
const col = (name: string, priority = 0, type = 'string', format = ''): Column => ({ name, type, format, description: '', priority });

export const since = (t: string | undefined | null): string => (t ? humanDuration(Date.now() - Date.parse(t)) : '<unknown>');

const none = (s: string | undefined | null) => (s ? s : '<none>');
const containersOf = (tmpl: any) => (tmpl?.spec?.containers ?? []) as any[];
const names = (cs: any[]) => cs.map((c) => c.name).join(',');
const images = (cs: any[]) => cs.map((c) => c.image).join(',');
const selectorText = (s: any) => {
  const parts = Object.entries(s?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s?.matchExpressions ?? []) parts.push(`${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(',')})`);
  return parts.length ? parts.join(',') : '<none>';
};

function podRow(p: KObj): unknown[] {
  const st = p.status ?? {};
  const spec = p.spec ?? {};
  let restarts = 0;
  let lastRestart = 0;
  let ready = 0;
  const sidecars = new Set<string>((spec.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always').map((c: any) => c.name));
  const total = (spec.containers ?? []).length + sidecars.size;
  let reason: string = st.reason || st.phase || '';
  let initializing = false;
  const inits: any[] = st.initContainerStatuses ?? [];
  inits.forEach((c, i) => {
    restarts += c.restartCount ?? 0;
    const fin = c.lastState?.terminated?.finishedAt;
    if (fin) lastRestart = Math.max(lastRestart, Date.parse(fin));
    const t = c.state?.terminated, w = c.state?.waiting;
    if (t && t.exitCode === 0) return;
    if (sidecars.has(c.name) && c.started) { if (c.ready) ready++; return; }
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (w?.reason && w.reason !== 'PodInitializing') reason = `Init:${w.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
  });
  const initialized = (st.conditions ?? []).some((c: any) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    let hasRunning = false;
    const cs: any[] = st.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += c.restartCount ?? 0;
      const fin = c.lastState?.terminated?.finishedAt;
      if (fin) lastRestart = Math.max(lastRestart, Date.parse(fin));
      const w = c.state?.waiting, t = c.state?.terminated;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
      else if (c.ready && c.state?.running) { hasRunning = true; ready++; }
    }
    if (reason === 'Completed' && hasRunning) reason = (st.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  }
  if (p.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (p.metadata.deletionTimestamp && st.phase !== 'Failed' && st.phase !== 'Succeeded') reason = 'Terminating';
  const restartsText = restarts !== 0 && lastRestart ? `${restarts} (${humanDuration(Date.now() - lastRestart)} ago)` : String(restarts);
  const gates = (spec.readinessGates ?? []) as any[];
  const gatesText = gates.length ? `${gates.filter((g) => (st.conditions ?? []).some((c: any) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}` : '<none>';
  return [p.metadata.name, `${ready}/${total}`, reason, restartsText, since(p.metadata.creationTimestamp), none(st.podIP), none(spec.nodeName), none(st.nominatedNodeName), gatesText];
}

function servicePorts(s: KObj): string {
  const ports = (s.spec?.ports ?? []) as any[];
  if (!ports.length) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}
function externalIp(s: KObj): string {
  const t = s.spec?.type ?? 'ClusterIP';
  const ext = (s.spec?.externalIPs ?? []) as string[];
  if (t === 'ClusterIP' || t === 'NodePort') return ext.length ? ext.join(',') : '<none>';
  if (t === 'LoadBalancer') {
    const ing = ((s.status?.loadBalancer?.ingress ?? []) as any[]).map((i) => i.ip || i.hostname);
    const all = [...ing, ...ext];
    return all.length ? all.join(',') : '<pending>';
  }
  if (t === 'ExternalName') return s.spec?.externalName ?? '<none>';
  return '<unknown>';
}
function endpointsText(e: KObj): string {
  const out: string[] = [];
  let count = 0;
  for (const ss of (e.subsets ?? []) as any[]) {
    for (const a of (ss.addresses ?? []) as any[]) {
      for (const p of (ss.ports ?? [{}]) as any[]) {
        count++;
        if (out.length < 3) out.push(p.port ? `${a.ip}:${p.port}` : a.ip);
      }
    }
  }
  if (!count) return '<none>';
  return count > 3 ? `${out.join(',')} + ${count - 3} more...` : out.join(',');
}
function nodeStatus(n: KObj): string {
  const ready = ((n.status?.conditions ?? []) as any[]).find((c) => c.type === 'Ready');
  const s = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
  if (n.spec?.unschedulable) s.push('SchedulingDisabled');
  return s.join(',');
}
function nodeRoles(n: KObj): string {
  const roles = Object.keys(n.metadata.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).filter(Boolean);
  return roles.length ? roles.sort().join(',') : '<none>';
}
function eventRow(e: KObj): unknown[] {
  const first = e.firstTimestamp ? since(e.firstTimestamp) : since(e.eventTime);
  let last = e.lastTimestamp ? since(e.lastTimestamp) : first;
  let count = e.count ?? 0;
  if (e.series) { last = since(e.series.lastObservedTime); count = e.series.count ?? 0; } else if (!count) count = 1;
  const io = e.involvedObject ?? {};
  const target = io.name ? `${String(io.kind ?? '').toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
  const src = e.source?.component ? (e.source.host ? `${e.source.component}, ${e.source.host}` : e.source.component)
    : e.reportingComponent ? (e.reportingInstance ? `${e.reportingComponent}, ${e.reportingInstance}` : e.reportingComponent) : '';
  return [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', src, String(e.message ?? '').trim(), first, count, e.metadata.name];
}

interface Printer { columns: Column[]; row: (o: KObj) => unknown[] }
const age = col('Age');
const PRINTERS: Record<string, Printer> = {
  pods: { columns: [col('Name', 0, 'string', 'name'), col('Ready'), col('Status'), col('Restarts'), age, col('IP', 1), col('Node', 1), col('Nominated Node', 1), col('Readiness Gates', 1)], row: podRow },
  'deployments.apps': {
    columns: [col('Name', 0, 'string', 'name'), col('Ready'), col('Up-to-date', 0, 'string'), col('Available', 0, 'string'), age, col('Containers', 1), col('Images', 1), col('Selector', 1)],
    row: (d) => [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0, since(d.metadata.creationTimestamp),
      names(containersOf(d.spec?.template)), images(containersOf(d.spec?.template)), selectorText(d.spec?.selector)],
  },
  'replicasets.apps': {
    columns: [col('Name', 0, 'string', 'name'), col('Desired', 0, 'integer'), col('Current', 0, 'integer'), col('Ready', 0, 'integer'), age, col('Containers', 1), col('Images', 1), col('Selector', 1)],
    row: (r) => [r.metadata.name, r.spec?.replicas ?? 1, r.status?.replicas ?? 0, r.status?.readyReplicas ?? 0, since(r.metadata.creationTimestamp),
      names(containersOf(r.spec?.template)), images(containersOf(r.spec?.template)), selectorText(r.spec?.selector)],
  },
  'statefulsets.apps': {
    columns: [col('Name', 0, 'string', 'name'), col('Ready'), age, col('Containers', 1), col('Images', 1)],
    row: (s) => [s.metadata.name, `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}`, since(s.metadata.creationTimestamp), names(containersOf(s.spec?.template)), images(containersOf(s.spec?.template))],
  },
  services: {
    columns: [col('Name', 0, 'string', 'name'), col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), age, col('Selector', 1)],
    row: (s) => [s.metadata.name, s.spec?.type ?? 'ClusterIP', none(s.spec?.clusterIP), externalIp(s), servicePorts(s), since(s.metadata.creationTimestamp),
      s.spec?.selector ? Object.entries(s.spec.selector).map(([k, v]) => `${k}=${v}`).join(',') : '<none>'],
  },
  endpoints: { columns: [col('Name', 0, 'string', 'name'), col('Endpoints'), age], row: (e) => [e.metadata.name, endpointsText(e), since(e.metadata.creationTimestamp)] },
  secrets: {
    columns: [col('Name', 0, 'string', 'name'), col('Type'), col('Data', 0, 'string'), age],
    row: (s) => [s.metadata.name, s.type ?? 'Opaque', Object.keys(s.data ?? {}).length + Object.keys(s.stringData ?? {}).length, since(s.metadata.creationTimestamp)],
  },
  configmaps: {
    columns: [col('Name', 0, 'string', 'name'), col('Data', 0, 'string'), age],
    row: (c) => [c.metadata.name, Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length, since(c.metadata.creationTimestamp)],
  },
  nodes: {
    columns: [col('Name', 0, 'string', 'name'), col('Status'), col('Roles'), age, col('Version'), col('Internal-IP', 1), col('External-IP', 1), col('OS-Image', 1), col('Kernel-Version', 1), col('Container-Runtime', 1)],
    row: (n) => {
      const addr = (t: string) => ((n.status?.addresses ?? []) as any[]).find((a) => a.type === t)?.address ?? '<none>';
      const ni = n.status?.nodeInfo ?? {};
      return [n.metadata.name, nodeStatus(n), nodeRoles(n), since(n.metadata.creationTimestamp), ni.kubeletVersion ?? '', addr('InternalIP'), addr('ExternalIP'),
        ni.osImage ?? '<unknown>', ni.kernelVersion ?? '<unknown>', ni.containerRuntimeVersion ?? '<unknown>'];
    },
  },
  namespaces: { columns: [col('Name', 0, 'string', 'name'), col('Status'), age], row: (n) => [n.metadata.name, n.status?.phase ?? 'Active', since(n.metadata.creationTimestamp)] },
  events: {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Subobject', 1), col('Source', 1), col('Message'), col('First Seen', 1), col('Count', 1, 'integer'), col('Name', 1)],
    row: eventRow,
  },
};
const DEFAULT: Printer = {
  columns: [col('Name', 0, 'string', 'name'), { name: 'Created At', type: 'date', format: '', description: '', priority: 0 }],
  row: (o) => [o.metadata.name, o.metadata.creationTimestamp],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function toTable(key: string, items: KObj[], listMeta: Record<string, unknown>, include: IncludeObject = 'Metadata', apiVersion?: string, kind?: string) {
  const p = PRINTERS[key] ?? DEFAULT;
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta, columnDefinitions: p.columns,
    rows: items.map((o) => ({
      cells: p.row(o),
      object: include === 'None' ? undefined
        : include === 'Object' ? { ...o, apiVersion: o.apiVersion ?? apiVersion, kind: o.kind ?? kind }
        : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

/** True when the Accept header asks for a meta.k8s.io Table first. */
export function wantsTable(accept: string | undefined): boolean {
  const first = (accept ?? '').split(',')[0] ?? '';
  return /as=Table/.test(first) && /g=meta\.k8s\.io/.test(first);
}
