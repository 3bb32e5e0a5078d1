// Objects keyed by resource / namespace / name with uid, resourceVersion (one global
// counter), generation and creationTimestamp; an event bus for watches; a bounded history
// of changes so a watch from a resourceVersion older than what is kept gets 410 Expired.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { randomUUID } from 'node:crypto';
import { alreadyExists, conflict, expired, notFound } from './errors';

export interface ObjectMeta {
  name?: string; generateName?: string; namespace?: string; uid?: string; resourceVersion?: string; generation?: number;
  creationTimestamp?: string; deletionTimestamp?: string; labels?: Record<string, string>; annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
  [k: string]: any;
}
export interface KObj { apiVersion?: string; kind?: string; metadata: ObjectMeta; spec?: any; status?: any; [k: string]: any }

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface StoreEvent { type: WatchType; key: string; rv: number; object: KObj }

/** Resources whose spec changes bump metadata.generation. */
const GENERATION_KEYS = new Set(['deployments.apps', 'replicasets.apps', 'statefulsets.apps']);

export const nowIso = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const clone = <T>(x: T): T => structuredClone(x);
const idOf = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

export interface WriteOptions { dryRun?: boolean; /** keep status from the stored object (main resource of a type with a status subresource) */ }

export class Store {
  private rv = 1000;
  private readonly data = new Map<string, Map<string, KObj>>();
  private history: StoreEvent[] = [];
  private compactedRv = 1000;
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  /** Called after every committed write (controllers hook in here). */
  onWrite: ((e: StoreEvent) => void) | undefined;

  constructor(readonly historyLimit = 2000) {}

  get resourceVersion(): string { return String(this.rv); }
  /** Oldest resourceVersion a watch can start from. */
  get oldestResourceVersion(): number { return this.compactedRv; }

  private bucket(key: string): Map<string, KObj> {
    let b = this.data.get(key);
    if (!b) this.data.set(key, (b = new Map()));
    return b;
  }

  keys(): string[] { return [...this.data.keys()]; }

  get(key: string, ns: string | undefined, name: string): KObj | undefined {
    const o = this.data.get(key)?.get(idOf(ns, name));
    return o && clone(o);
  }

  mustGet(key: string, ns: string | undefined, name: string): KObj {
    const o = this.get(key, ns, name);
    if (!o) throw notFound(key, name);
    return o;
  }

  /** Objects in etcd key order (namespace, then name). */
  list(key: string, ns?: string): KObj[] {
    const b = this.data.get(key);
    if (!b) return [];
    return [...b.entries()].filter(([, o]) => ns === undefined || o.metadata.namespace === ns)
      .sort(([a], [b2]) => (a < b2 ? -1 : a > b2 ? 1 : 0)).map(([, o]) => clone(o));
  }

  private commit(type: WatchType, key: string, obj: KObj): KObj {
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    const b = this.bucket(key);
    const id = idOf(obj.metadata.namespace, obj.metadata.name!);
    if (type === 'DELETED') b.delete(id); else b.set(id, obj);
    const ev: StoreEvent = { type, key, rv: this.rv, object: clone(obj) };
    this.history.push(ev);
    if (this.history.length > this.historyLimit) this.compact(this.history[this.history.length - this.historyLimit]!.rv - 1);
    for (const l of [...this.listeners]) l(ev);
    this.onWrite?.(ev);
    return clone(obj);
  }

  /** Forget history up to rv (inclusive): watches from there get 410 Expired. Defaults to everything. */
  compact(rv = this.rv): void {
    this.history = this.history.filter((e) => e.rv > rv);
    this.compactedRv = Math.max(this.compactedRv, rv);
  }

  create(key: string, input: KObj, opts: WriteOptions = {}): KObj {
    const obj = clone(input);
    const m = obj.metadata ?? (obj.metadata = {});
    if (!m.name && m.generateName) m.name = m.generateName + randomSuffix();
    if (this.data.get(key)?.has(idOf(m.namespace, m.name!))) throw alreadyExists(key, m.name!);
    m.uid ??= randomUUID();
    m.creationTimestamp ??= nowIso();
    delete m.resourceVersion;
    if (GENERATION_KEYS.has(key)) m.generation ??= 1;
    if (opts.dryRun) return clone(obj);
    return this.commit('ADDED', key, obj);
  }

  /** Replace; a resourceVersion in the input must match the stored one (409 otherwise). */
  update(key: string, input: KObj, opts: WriteOptions = {}): KObj {
    const obj = clone(input);
    const m = obj.metadata;
    const cur = this.data.get(key)?.get(idOf(m.namespace, m.name!));
    if (!cur) throw notFound(key, m.name!);
    if (m.resourceVersion && m.resourceVersion !== cur.metadata.resourceVersion) throw conflict(key, m.name!);
    m.uid = cur.metadata.uid;
    m.creationTimestamp = cur.metadata.creationTimestamp;
    if (GENERATION_KEYS.has(key) || cur.metadata.generation !== undefined) {
      const changed = JSON.stringify(cur.spec ?? null) !== JSON.stringify(obj.spec ?? null);
      m.generation = (cur.metadata.generation ?? 1) + (changed ? 1 : 0);
    }
    if (opts.dryRun) { m.resourceVersion = cur.metadata.resourceVersion; return clone(obj); }
    if (JSON.stringify(cur) === JSON.stringify({ ...obj, metadata: { ...m, resourceVersion: cur.metadata.resourceVersion } })) {
      return clone(cur); // no-op writes keep the resourceVersion, as on a real server
    }
    return this.commit('MODIFIED', key, obj);
  }

  delete(key: string, ns: string | undefined, name: string, opts: WriteOptions = {}): KObj {
    const cur = this.data.get(key)?.get(idOf(ns, name));
    if (!cur) throw notFound(key, name);
    if (opts.dryRun) return clone(cur);
    return this.commit('DELETED', key, clone(cur));
  }

  /** Changes after `rv` (exclusive), or 410 Expired when that is older than the kept history. */
  since(rv: number): StoreEvent[] {
    if (rv < this.compactedRv) throw expired(`too old resource version: ${rv} (${this.compactedRv + 1})`);
    return this.history.filter((e) => e.rv > rv).map((e) => ({ ...e, object: clone(e.object) }));
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[Math.floor(Math.random() * ALNUM.length)];
  return s;
}
