// Scenario files (test/sim/scenarios/NAME.yaml): multi-document YAML. One document of
// `kind: Scenario` holds the simulator settings (and `extends:` for overlays); every other
// document is a Kubernetes object as `kubectl get -o yaml` prints it (a `List` is flattened).
// The scenario `baseline` has no file: baseline.ts generates its documents.
//
//   apiVersion: sim.dhakacart.io/v1
//   kind: Scenario
//   extends: baseline            # overlay: start from another scenario
//   now: "2025-03-14T10:30:00Z"  # reference time of this file's timestamps
//   description: ...
//   expect: { pod: NAME, cause: oom }   # what a diagnosis should find (for tests)
//   metrics: true                # serve metrics.k8s.io
//   crds: [monitoring.coreos.com]  # CRD groups installed (PrometheusRule); others answer 404
//   podMetrics: { "POD or glob": { CONTAINER: { cpu: 120m, memory: 480Mi } } }
//   proxy: [ { selector: app=x, pod: glob, port: 5000, path: /health, status: 200, body: {...}, delayMs: 0 } ]
//                                # the app's answers through pods/proxy and services/proxy (routes/app.ts);
//                                # `status: 500` on one path makes that path fail
//   deny: [ { verb: patch, resource: deployments, group: apps, namespace: dhakacart } ]
//   logs: { "POD-or-glob/CONTAINER": { current: "...", previous: "..." } }   # null removes
//   remove: [ "Kind/namespace/name" ]   # globs allowed: "Event/dhakacart/dhakacart-backend-*"
//   patches: [ { target: "Kind/namespace/name", patch: {strategic merge patch} } ]
//   podRules: [...]              # for the deployment controller (settings.ts PodRule)
//   registry: [ "dhakacart/backend:v1.4.2", ... ]   # images that exist (overlays add to it)
//
// Overlay order: parent → remove → objects (replace by kind/namespace/name or add) → patches.
// Timestamps: every RFC3339 string in objects and every RFC3339 timestamp inside logs is
// shifted so the file's `now` maps to the real current time. Missing uids are derived from
// kind/namespace/name, and ownerReferences / involvedObject without uid are filled in.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';
import { baselineDocuments } from './baseline';
import { strategicMergePatch } from './patch';
import { emptySettings, globMatch, type SimSettings } from './settings';
import type { KObj } from './store';

export const SCENARIO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scenarios');

/** What `why` must say of the scenario (test/why.test.ts checks each field; confidence and fix: how the next command starts, null for none). */
export interface ScenarioExpect { pod?: string; cause?: string; container?: string; confidence?: string; fix?: string | null }
export interface Scenario { name: string; description?: string; expect: ScenarioExpect; settings: SimSettings; objects: KObj[] }

const GENERATED: Record<string, () => unknown[]> = { baseline: baselineDocuments };

export function listScenarios(): string[] {
  return [...Object.keys(GENERATED), ...fs.readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5))].sort();
}

function documentsOf(name: string): any[] {
  const generated = GENERATED[name];
  if (generated) return generated();
  const file = path.join(SCENARIO_DIR, `${name}.yaml`);
  if (!fs.existsSync(file)) throw new Error(`unknown scenario "${name}" (have: ${listScenarios().join(', ')})`);
  return loadAll(fs.readFileSync(file, 'utf8')) as any[];
}

const ISO_FULL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const ISO_IN_TEXT = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g;

function shiftIso(s: string, offsetMs: number): string {
  const frac = s.match(/\.(\d+)/)?.[1];
  const d = new Date(Date.parse(s) + offsetMs);
  const base = d.toISOString().slice(0, 19);
  if (!frac) return `${base}Z`;
  const ms = d.toISOString().slice(20, 23);
  const digits = frac.length <= 3 ? ms.slice(0, frac.length) : (ms + frac.slice(3)).slice(0, frac.length);
  return `${base}.${digits}Z`;
}
function shiftDeep(v: any, off: number): any {
  if (typeof v === 'string') return ISO_FULL.test(v) ? shiftIso(v, off) : v;
  if (Array.isArray(v)) return v.map((x) => shiftDeep(x, off));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shiftDeep(x, off)]));
  return v;
}
const PG_IN_TEXT = /(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) UTC/g;
const shiftText = (t: string, off: number) => t.replace(ISO_IN_TEXT, (m) => shiftIso(m, off))
  .replace(PG_IN_TEXT, (_m, d: string, tm: string) => { const x = shiftIso(`${d}T${tm}Z`, off); return `${x.slice(0, 10)} ${x.slice(11, -1)} UTC`; });

const idOf = (o: { kind?: string; metadata?: { namespace?: string; name?: string } }) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
/** "Kind/ns/name" or "Kind/name" (cluster-scoped) → matcher. */
function targetMatcher(t: string): (o: KObj) => boolean {
  const parts = t.split('/');
  const [kind, ns, name] = parts.length === 2 ? [parts[0]!, '', parts[1]!] : [parts[0]!, parts[1]!, parts.slice(2).join('/')];
  return (o) => o.kind === kind && (o.metadata.namespace ?? '') === ns && globMatch(name, o.metadata.name ?? '');
}

export function derivedUid(kind: string, ns: string | undefined, name: string): string {
  const h = createHash('sha1').update(`${kind}/${ns ?? ''}/${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Layer { name: string; description?: string; expect: ScenarioExpect; settings: SimSettings; objects: KObj[] }

function readLayer(name: string, realNow: number, seen: string[]): Layer {
  if (seen.includes(name)) throw new Error(`scenario ${name}: extends cycle ${[...seen, name].join(' → ')}`);
  const docs = documentsOf(name).filter((d) => d && typeof d === 'object');
  const head = docs.find((d) => d.kind === 'Scenario') ?? {};
  const objs: KObj[] = [];
  for (const d of docs) {
    if (d.kind === 'Scenario') continue;
    if (d.kind === 'List' || (typeof d.kind === 'string' && d.kind.endsWith('List') && Array.isArray(d.items))) objs.push(...d.items);
    else objs.push(d);
  }
  const parent: Layer = head.extends ? readLayer(head.extends, realNow, [...seen, name])
    : { name, expect: {}, settings: emptySettings(), objects: [] };
  const nowRef: string | undefined = head.now ?? parent.settings.now;
  const off = nowRef ? realNow - Date.parse(nowRef) : 0;
  const s: SimSettings = structuredClone(parent.settings);
  if (head.now) s.now = head.now;
  if (typeof head.metrics === 'boolean') s.metrics = head.metrics;
  if (Array.isArray(head.crds)) s.crds = [...s.crds, ...head.crds];
  if (head.user) s.user = head.user;
  if (head.podMetrics) s.podMetrics = { ...s.podMetrics, ...head.podMetrics };
  if (Array.isArray(head.proxy)) s.proxy = [...head.proxy, ...s.proxy]; // overlay answers win (first match)
  if (Array.isArray(head.deny)) s.deny = [...s.deny, ...head.deny];
  if (Array.isArray(head.podRules)) s.podRules = [...head.podRules, ...s.podRules];
  if (Array.isArray(head.registry)) s.registry = [...(s.registry ?? []), ...head.registry];
  for (const [k, v] of Object.entries<any>(head.logs ?? {})) {
    if (v === null) { delete s.logs[k]; continue; }
    const shifted = Object.fromEntries(Object.entries<string | null>(v).map(([w, t]) => [w, typeof t === 'string' ? shiftText(t, off) : t]));
    const merged: Record<string, unknown> = { ...(s.logs[k] ?? {}), ...shifted };
    for (const w of Object.keys(merged)) if (merged[w] === null) delete merged[w];
    s.logs[k] = merged;
  }
  let objects = parent.objects;
  for (const r of head.remove ?? []) { const m = targetMatcher(r); objects = objects.filter((o) => !m(o)); }
  for (const raw of objs) {
    const o = shiftDeep(raw, off) as KObj;
    o.metadata ??= {};
    const i = objects.findIndex((x) => idOf(x) === idOf(o));
    if (i >= 0) objects[i] = o; else objects.push(o);
  }
  for (const p of head.patches ?? []) {
    const m = targetMatcher(p.target);
    const hits = objects.filter(m);
    if (!hits.length) throw new Error(`scenario ${name}: patch target ${p.target} matches nothing`);
    objects = objects.map((o) => (m(o) ? (strategicMergePatch(o, shiftDeep(p.patch, off)) as KObj) : o));
  }
  return {
    name, description: head.description ?? parent.description,
    expect: { ...parent.expect, ...(head.expect ?? {}) }, settings: s, objects,
  };
}

/** Load a scenario by name, timestamps shifted so its `now` is the real current time. */
export function loadScenario(name: string, realNow = Date.now()): Scenario {
  const l = readLayer(name, realNow, []);
  const objects = structuredClone(l.objects);
  const uidOf = new Map<string, string>();
  for (const o of objects) {
    o.metadata.uid ??= derivedUid(o.kind!, o.metadata.namespace, o.metadata.name!);
    uidOf.set(idOf(o), o.metadata.uid);
  }
  for (const o of objects) {
    for (const r of o.metadata.ownerReferences ?? []) r.uid ??= uidOf.get(`${r.kind}/${o.metadata.namespace ?? ''}/${r.name}`) ?? uidOf.get(`${r.kind}//${r.name}`) ?? '';
    if (o.kind === 'Event' && o.involvedObject && !o.involvedObject.uid) {
      const io = o.involvedObject;
      const uid = uidOf.get(`${io.kind}/${io.namespace ?? ''}/${io.name}`);
      if (uid) io.uid = uid;
    }
  }
  return { name, description: l.description, expect: l.expect, settings: l.settings, objects };
}
