// The API: resource paths → list / get / create / update / patch / delete / watch, the
// status and scale subresources, pods/log, pods/proxy, metrics, access reviews. Every
// failure is a `kind: Status` worded like the real API server's.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { runControllers, type Reconciler } from './controllers/index';
import { discovery } from './discovery';
import { StatusError, badRequest, conflict, expired, forbidden, invalid, methodNotAllowed, notFound, serviceUnavailable } from './errors';
import { podLogs } from './logs';
import { applyPatch, patchTypeOf } from './patch';
import { parseQuantity } from './quantity';
import { apiVersionOf, findResource, qualified, storageKey, type ResourceDef } from './resources';
import { parseFieldSelector, parseLabelSelector, selectorString } from './selectors';
import { globMatch, lookupGlob, type SimSettings } from './settings';
import { nowIso, type KObj, type Store, type StoreEvent } from './store';
import { toTable, wantsTable, type IncludeObject } from './tables';
import { immutableSelector, validate } from './validate';

export interface SimRequest { method: string; path: string; query: URLSearchParams; headers: IncomingHttpHeaders; body: Buffer }
export interface PlainResponse { status: number; body: string | Buffer; contentType: string; headers?: Record<string, string> }
export type SimResponse =
  | PlainResponse
  | { stream: (req: IncomingMessage, res: ServerResponse) => void; status?: number };

const json = (status: number, body: unknown, contentType = 'application/json'): PlainResponse => ({ status, body: JSON.stringify(body), contentType });
const pageNotFound = (): PlainResponse => ({ status: 404, body: '404 page not found\n', contentType: 'text/plain; charset=utf-8' });
export const statusResponse = (e: StatusError): PlainResponse => json(e.code, e.toStatus());

const STATUS_SUBRESOURCE = new Set(['pods', 'services', 'nodes', 'namespaces', 'deployments.apps', 'replicasets.apps', 'statefulsets.apps']);
const SCALABLE = new Set(['deployments.apps', 'replicasets.apps', 'statefulsets.apps']);
const NAMESPACE_SUBS = new Set(['status', 'finalize']);

interface Target {
  def: ResourceDef; key: string; namespace?: string; name?: string; sub?: string; subpath: string; watchPath: boolean;
}

export interface ApiOptions { serverAddress: () => string; bookmarkIntervalMs: number; controllers: Reconciler[] }

const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const truthy = (v: string | null) => v === 'true' || v === '1';
const num = (v: string | null): number | undefined => (v === null || v === '' ? undefined : Number(v));

/**
 * What decoding into Go structs does to a written object, where clients differ: kubectl
 * serializes a pod template's zero creationTimestamp as null (`rollout undo` sends it), other
 * clients omit it; the server keeps one form (the omitted one, as scenario files write it).
 */
function canonicalize(o: KObj): void {
  const tm = o.spec?.template?.metadata;
  if (isObj(tm) && tm.creationTimestamp === null) delete tm.creationTimestamp;
}

// ---- events.k8s.io/v1 view of core events ---------------------------------------------
function coreToNewEvent(e: KObj): KObj {
  const out: KObj = {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: e.metadata,
    eventTime: e.eventTime ?? null, reportingController: e.reportingComponent || e.source?.component || undefined,
    reportingInstance: e.reportingInstance || e.source?.host || undefined, action: e.action, reason: e.reason,
    regarding: e.involvedObject, related: e.related, note: e.message, type: e.type,
    deprecatedSource: e.source, deprecatedFirstTimestamp: e.firstTimestamp, deprecatedLastTimestamp: e.lastTimestamp, deprecatedCount: e.count,
  };
  if (e.series) out.series = e.series;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
function newToCoreEvent(e: KObj): KObj {
  const out: KObj = {
    apiVersion: 'v1', kind: 'Event', metadata: e.metadata, involvedObject: e.regarding ?? {}, reason: e.reason, message: e.note,
    source: e.deprecatedSource ?? {}, firstTimestamp: e.deprecatedFirstTimestamp ?? null, lastTimestamp: e.deprecatedLastTimestamp ?? null,
    count: e.deprecatedCount, type: e.type, eventTime: e.eventTime ?? null, series: e.series, action: e.action, related: e.related,
    reportingComponent: e.reportingController ?? '', reportingInstance: e.reportingInstance ?? '',
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
const NEW_EVENT_FIELDS: Record<string, string> = { reportingController: 'reportingComponent', deprecatedSource: 'source' };
function mapNewEventFieldSelector(sel: string | null): string | undefined {
  if (!sel) return undefined;
  return sel.split(',').map((p) => p.replace(/^\s*regarding\./, 'involvedObject.').replace(/^\s*(reportingController|deprecatedSource)/, (m) => NEW_EVENT_FIELDS[m.trim()]!)).join(',');
}

export class Api {
  private readonly watches = new Set<ServerResponse>();

  constructor(private readonly store: Store, private readonly settings: SimSettings, private readonly opts: ApiOptions) {}

  /** End every open watch (server close). */
  closeWatches(): void {
    for (const w of this.watches) w.end();
    this.watches.clear();
  }

  async handle(r: SimRequest): Promise<SimResponse> {
    try {
      return await this.route(r);
    } catch (e) {
      if (e instanceof StatusError) return statusResponse(e);
      if (e instanceof SyntaxError) return statusResponse(badRequest(`error decoding body: ${e.message}`));
      throw e;
    }
  }

  private out(def: ResourceDef, o: KObj): KObj {
    if (def.storage === 'events' && def.group === 'events.k8s.io') return coreToNewEvent(o);
    return { ...o, apiVersion: o.apiVersion ?? apiVersionOf(def), kind: o.kind ?? def.kind };
  }
  private in(def: ResourceDef, o: KObj): KObj {
    if (def.storage === 'events' && def.group === 'events.k8s.io') return newToCoreEvent(o);
    return { ...o, apiVersion: apiVersionOf(def), kind: def.kind };
  }

  private parseTarget(path: string): Target | undefined {
    const segs = path.split('/').filter((s) => s !== '').map((s) => { try { return decodeURIComponent(s); } catch { return s; } });
    let group: string, version: string, i: number;
    if (segs[0] === 'api' && segs[1] === 'v1') { group = ''; version = 'v1'; i = 2; }
    else if (segs[0] === 'apis' && segs.length >= 4) { group = segs[1]!; version = segs[2]!; i = 3; }
    else return undefined;
    let watchPath = false;
    if (segs[i] === 'watch') { watchPath = true; i++; }
    let rest = segs.slice(i);
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && rest.length === 3 && NAMESPACE_SUBS.has(rest[2]!))) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const def = findResource(group, version, rest[0] ?? '');
    if (!def) return undefined;
    if (def.optional === 'metrics' && !this.settings.metrics) return undefined;
    if (def.namespaced === false && namespace !== undefined) return undefined;
    const sub = rest[2];
    if (sub && !(def.subresources ?? []).some((s) => s.name === sub)) return undefined;
    if (rest.length > 3 && sub !== 'proxy') return undefined;
    const t: Target = { def, key: storageKey(def), subpath: rest.slice(3).join('/') + (path.endsWith('/') && rest.length > 3 ? '/' : ''), watchPath };
    if (namespace !== undefined) t.namespace = namespace;
    if (rest[1] !== undefined) t.name = rest[1];
    if (sub !== undefined) t.sub = sub;
    return t;
  }

  private verbOf(method: string, t: Target, watch: boolean): string {
    switch (method) {
      case 'GET': case 'HEAD': return watch ? 'watch' : t.name ? 'get' : 'list';
      case 'POST': return 'create';
      case 'PUT': return 'update';
      case 'PATCH': return 'patch';
      case 'DELETE': return t.name ? 'delete' : 'deletecollection';
      default: return method.toLowerCase();
    }
  }

  /** Whether the scenario's user may do this (scenario `deny` list). */
  allowed(verb: string, resource: string, sub: string | undefined, group: string, namespace: string | undefined, name: string | undefined): boolean {
    return !this.settings.deny.some((d) =>
      (d.verb === '*' || d.verb === verb)
      && (d.resource === '*' || d.resource === (sub ? `${resource}/${sub}` : resource))
      && (d.group === undefined || d.group === '*' || d.group === group)
      && (!d.namespace || d.namespace === namespace)
      && (!d.name || d.name === name));
  }

  private async route(r: SimRequest): Promise<SimResponse> {
    const path = r.path.length > 1 ? r.path.replace(/\/+$/, (m) => (r.path.includes('/proxy/') ? m : '')) : r.path;
    if (r.method === 'GET') {
      const d = discovery(path, { metrics: this.settings.metrics, serverAddress: this.opts.serverAddress() });
      if (d) return json(200, d);
      if (['/healthz', '/livez', '/readyz'].includes(path)) return { status: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' };
    }
    const t = this.parseTarget(path);
    if (!t) return pageNotFound();
    const q = r.query;
    const watch = t.watchPath || (r.method === 'GET' && truthy(q.get('watch')));
    const verb = this.verbOf(r.method, t, watch);
    if (t.def.group === 'authorization.k8s.io') {
      if (r.method !== 'POST' || t.name) return statusResponse(methodNotAllowed());
      return this.accessReview(r);
    }
    const qr = qualified(t.def.plural, t.def.group);
    const authName = t.name?.replace(/^(https?:)?([^:]+)(:.*)?$/, '$2');
    if (!this.allowed(verb, t.def.plural, t.sub, t.def.group, t.namespace, authName)) {
      throw forbidden(this.settings.user, verb, qr, authName, t.def.group, t.def.namespaced ? t.namespace : undefined, t.sub);
    }
    if (t.def.optional === 'metrics') return this.metrics(t, r);
    if (t.def.namespaced && t.name && t.namespace === undefined) return pageNotFound();
    const dryRun = q.getAll('dryRun');
    if (dryRun.some((d) => d !== 'All')) throw badRequest(`dryRun: Unsupported value: "${dryRun.find((d) => d !== 'All')}": supported values: "All"`);
    const isDry = dryRun.length > 0;

    if (t.sub === 'log') return this.log(t, q);
    if (t.sub === 'proxy') return this.proxy(t, r);
    if (t.sub === 'scale') return this.scale(t, r, isDry);

    if (watch) {
      if (t.name && !t.watchPath) { /* GET .../name?watch=true */ }
      return this.watch(t, q, r.headers.accept);
    }
    switch (r.method) {
      case 'GET': case 'HEAD':
        return t.name ? this.get(t, r) : this.list(t, q, r.headers.accept);
      case 'POST':
        if (t.name) return statusResponse(methodNotAllowed());
        return this.create(t, r, isDry);
      case 'PUT':
        if (!t.name) return statusResponse(methodNotAllowed());
        return this.update(t, r, isDry);
      case 'PATCH':
        if (!t.name) return statusResponse(methodNotAllowed());
        return this.patch(t, r, isDry);
      case 'DELETE':
        return t.name ? this.delete(t, r, isDry) : this.deleteCollection(t, q, isDry);
      default:
        return statusResponse(methodNotAllowed());
    }
  }

  private afterWrite(): void {
    runControllers({ store: this.store, settings: this.settings }, this.opts.controllers);
  }

  private requireNamespace(ns: string | undefined): void {
    if (ns !== undefined && !this.store.get('namespaces', undefined, ns)) throw notFound('namespaces', ns);
  }

  private body(r: SimRequest): any {
    const ct = String(r.headers['content-type'] ?? '');
    if (/protobuf|cbor/.test(ct)) {
      // No protobuf/CBOR decoder here: client-go falls back to JSON after a 415.
      throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
    }
    const text = r.body.toString('utf8');
    if (!text.trim()) throw badRequest('the body of the request was empty');
    return JSON.parse(text);
  }

  // ---- read ------------------------------------------------------------------------
  private get(t: Target, r: SimRequest): SimResponse {
    const o = this.store.get(t.key, t.namespace, t.name!);
    if (!o || (t.def.group === 'events.k8s.io' && false)) throw notFound(qualified(t.def.plural, t.def.group), t.name!);
    if (wantsTable(r.headers.accept)) {
      return json(200, toTable(t.key, [o], { resourceVersion: o.metadata.resourceVersion }, (r.query.get('includeObject') as IncludeObject) || 'Metadata', apiVersionOf(t.def), t.def.kind),
        'application/json;as=Table;v=v1;g=meta.k8s.io');
    }
    return json(200, this.out(t.def, o));
  }

  private selectors(t: Target, q: URLSearchParams) {
    const label = parseLabelSelector(q.get('labelSelector') ?? undefined);
    const fieldSel = t.def.group === 'events.k8s.io' ? mapNewEventFieldSelector(q.get('fieldSelector')) : q.get('fieldSelector') ?? undefined;
    const field = parseFieldSelector(t.key, fieldSel);
    const name = t.name;
    return { filtered: !!(q.get('labelSelector') || q.get('fieldSelector')), match: (o: KObj) => (t.namespace === undefined || o.metadata.namespace === t.namespace) && (!name || o.metadata.name === name) && label(o.metadata.labels) && field(o) };
  }

  private list(t: Target, q: URLSearchParams, accept: string | undefined): SimResponse {
    const { match, filtered } = this.selectors(t, q);
    let items = this.store.list(t.key, t.namespace).filter(match);
    const limit = num(q.get('limit'));
    const cont = q.get('continue');
    let listRv = this.store.resourceVersion;
    if (cont) {
      let tok: { v?: string; rv?: number; start?: string };
      try { tok = JSON.parse(Buffer.from(cont, 'base64').toString('utf8')); } catch { throw badRequest('continue key is not valid: illegal base64 data'); }
      if (tok.v !== 'meta.k8s.io/v1' || typeof tok.start !== 'string' || typeof tok.rv !== 'number') throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
      if (tok.rv < this.store.oldestResourceVersion) {
        throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
      }
      listRv = String(tok.rv);
      const start = tok.start;
      items = items.filter((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}` >= start);
    }
    const meta: Record<string, unknown> = { resourceVersion: listRv };
    if (limit && limit > 0 && items.length > limit) {
      const last = items[limit - 1]!;
      const remaining = items.length - limit;
      items = items.slice(0, limit);
      meta.continue = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(listRv), start: `${last.metadata.namespace ?? ''}/${last.metadata.name}\u0000` })).toString('base64');
      if (!filtered) meta.remainingItemCount = remaining;
    }
    if (wantsTable(accept)) {
      return json(200, toTable(t.key, items, meta, (q.get('includeObject') as IncludeObject) || 'Metadata', apiVersionOf(t.def), t.def.kind), 'application/json;as=Table;v=v1;g=meta.k8s.io');
    }
    const out = items.map((o) => { const x = this.out(t.def, o); delete x.apiVersion; delete x.kind; return x; });
    return json(200, { kind: `${t.def.kind}List`, apiVersion: apiVersionOf(t.def), metadata: meta, items: out });
  }

  // ---- write -----------------------------------------------------------------------
  private create(t: Target, r: SimRequest, dryRun: boolean): SimResponse {
    if (t.sub) return statusResponse(methodNotAllowed());
    const body = this.body(r);
    if (!isObj(body)) throw badRequest('the body of the request was in an unknown format');
    const o = this.in(t.def, body as KObj);
    o.metadata ??= {};
    if (t.def.namespaced) {
      if (o.metadata.namespace && o.metadata.namespace !== t.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      if (t.namespace === undefined) return pageNotFound();
      o.metadata.namespace = t.namespace;
      this.requireNamespace(t.namespace);
    } else delete o.metadata.namespace;
    if (!o.metadata.name && !o.metadata.generateName) throw invalid(t.def.kind, '', t.def.group || undefined, [{ field: 'metadata.name', message: 'Required value: name or generateName is required', type: 'FieldValueRequired' }]);
    if (!o.metadata.name) o.metadata.name = o.metadata.generateName + 'x';
    const generated = !body.metadata?.name;
    if (generated) delete o.metadata.name;
    canonicalize(o);
    validate(t.key, { ...o, metadata: { ...o.metadata, name: o.metadata.name ?? o.metadata.generateName } });
    if (t.key === 'deployments.apps' || t.key === 'replicasets.apps' || t.key === 'statefulsets.apps') o.status = {};
    if (t.key === 'pods') o.status = { phase: 'Pending', qosClass: 'BestEffort' };
    if (t.key === 'namespaces') o.status = { phase: 'Active' };
    const created = this.store.create(t.key, o, { dryRun });
    if (!dryRun) this.afterWrite();
    return json(201, this.out(t.def, created));
  }

  /** Write `next` in place of `cur` (resourceVersion already checked), keeping status or spec per subresource. */
  private commitUpdate(t: Target, cur: KObj, next: KObj, dryRun: boolean): KObj {
    let o: KObj;
    if (t.sub === 'status') o = { ...cur, status: next.status };
    else {
      o = { ...next, metadata: { ...next.metadata, name: cur.metadata.name, namespace: cur.metadata.namespace, uid: cur.metadata.uid, creationTimestamp: cur.metadata.creationTimestamp } };
      if (STATUS_SUBRESOURCE.has(t.key)) o.status = cur.status;
      o.apiVersion = cur.apiVersion ?? apiVersionOf(t.def);
      o.kind = cur.kind ?? t.def.kind;
      if (o.metadata.namespace === undefined) delete o.metadata.namespace;
      canonicalize(o);
      validate(t.key, o);
      immutableSelector(t.key, cur, o);
    }
    o.metadata.resourceVersion = cur.metadata.resourceVersion;
    const updated = this.store.update(t.key, o, { dryRun });
    if (!dryRun) this.afterWrite();
    return updated;
  }

  private update(t: Target, r: SimRequest, dryRun: boolean): SimResponse {
    const body = this.body(r);
    if (!isObj(body)) throw badRequest('the body of the request was in an unknown format');
    const next = this.in(t.def, body as KObj);
    next.metadata ??= {};
    if (next.metadata.name && next.metadata.name !== t.name) throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${t.name})`);
    if (t.def.namespaced && next.metadata.namespace && next.metadata.namespace !== t.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    const cur = this.store.get(t.key, t.namespace, t.name!);
    if (!cur) throw notFound(qualified(t.def.plural, t.def.group), t.name!);
    if (next.metadata.resourceVersion && next.metadata.resourceVersion !== cur.metadata.resourceVersion) throw conflict(qualified(t.def.plural, t.def.group), t.name!);
    return json(200, this.out(t.def, this.commitUpdate(t, cur, next, dryRun)));
  }

  private patch(t: Target, r: SimRequest, dryRun: boolean): SimResponse {
    const type = patchTypeOf(r.headers['content-type']);
    const body = this.body(r);
    const cur = this.store.get(t.key, t.namespace, t.name!);
    if (!cur) throw notFound(qualified(t.def.plural, t.def.group), t.name!);
    const view = this.out(t.def, cur);
    const patched = applyPatch(type, view, body) as KObj;
    if (!isObj(patched) || !isObj(patched.metadata)) throw badRequest('Object \'Kind\' is missing in patched object');
    if (patched.metadata.resourceVersion && patched.metadata.resourceVersion !== cur.metadata.resourceVersion) throw conflict(qualified(t.def.plural, t.def.group), t.name!);
    if (patched.metadata.uid && patched.metadata.uid !== cur.metadata.uid) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(t.def.plural, t.def.group)} "${t.name}": Precondition failed: UID in precondition: ${patched.metadata.uid}, UID in object meta: ${cur.metadata.uid}`);
    }
    return json(200, this.out(t.def, this.commitUpdate(t, cur, this.in(t.def, patched), dryRun)));
  }

  private delete(t: Target, r: SimRequest, dryRun: boolean): SimResponse {
    const qr = qualified(t.def.plural, t.def.group);
    const cur = this.store.get(t.key, t.namespace, t.name!);
    if (!cur) throw notFound(qr, t.name!);
    const text = r.body.toString('utf8').trim();
    if (text) {
      const opts = JSON.parse(text);
      const pre = opts?.preconditions;
      if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
        throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qr} "${t.name}": the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${cur.metadata.resourceVersion}). The object might have been modified`);
      }
      if (pre?.uid && pre.uid !== cur.metadata.uid) {
        throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qr} "${t.name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid}`);
      }
    }
    const deleted = this.store.delete(t.key, t.namespace, t.name!, { dryRun });
    if (!dryRun) this.afterWrite();
    if (t.key === 'pods') return json(200, this.out(t.def, deleted));
    const details: Record<string, unknown> = { name: t.name, kind: t.def.plural, uid: cur.metadata.uid };
    if (t.def.group) details.group = t.def.group;
    return json(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
  }

  private deleteCollection(t: Target, q: URLSearchParams, dryRun: boolean): SimResponse {
    const { match } = this.selectors(t, q);
    const gone = this.store.list(t.key, t.namespace).filter(match).map((o) => this.store.delete(t.key, o.metadata.namespace, o.metadata.name!, { dryRun }));
    if (!dryRun) this.afterWrite();
    return json(200, { kind: `${t.def.kind}List`, apiVersion: apiVersionOf(t.def), metadata: { resourceVersion: this.store.resourceVersion }, items: gone.map((o) => this.out(t.def, o)) });
  }

  // ---- scale -----------------------------------------------------------------------
  private scaleOf(o: KObj): KObj {
    const m = o.metadata;
    return {
      kind: 'Scale', apiVersion: 'autoscaling/v1',
      metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
      spec: { replicas: o.spec?.replicas ?? 1 },
      status: { replicas: o.status?.replicas ?? 0, selector: selectorString(o.spec?.selector) },
    };
  }

  private scale(t: Target, r: SimRequest, dryRun: boolean): SimResponse {
    if (!SCALABLE.has(t.key)) return pageNotFound();
    const qr = qualified(t.def.plural, t.def.group);
    const cur = this.store.get(t.key, t.namespace, t.name!);
    if (!cur) throw notFound(qr, t.name!);
    const scale = this.scaleOf(cur);
    if (r.method === 'GET') return json(200, scale);
    let next: KObj;
    if (r.method === 'PUT') next = this.body(r);
    else if (r.method === 'PATCH') next = applyPatch(patchTypeOf(r.headers['content-type']), scale, this.body(r));
    else return statusResponse(methodNotAllowed());
    if (next?.metadata?.resourceVersion && next.metadata.resourceVersion !== cur.metadata.resourceVersion) throw conflict(qr, t.name!);
    const replicas = next?.spec?.replicas ?? 0;
    if (typeof replicas !== 'number' || replicas < 0 || !Number.isInteger(replicas)) {
      throw invalid('Scale', t.name!, 'autoscaling', [{ field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
    }
    const updated = this.store.update(t.key, { ...cur, spec: { ...cur.spec, replicas } }, { dryRun });
    if (!dryRun) this.afterWrite();
    return json(200, this.scaleOf(this.store.get(t.key, t.namespace, t.name!) ?? updated));
  }

  // ---- pods/log, pods/proxy ----------------------------------------------------------
  private log(t: Target, q: URLSearchParams): SimResponse {
    const pod = this.store.get('pods', t.namespace, t.name!);
    if (!pod) throw notFound('pods', t.name!);
    const intParam = (k: string) => {
      const v = q.get(k);
      if (v === null) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n)) throw badRequest(`strconv.ParseInt: parsing "${v}": invalid syntax`);
      return n;
    };
    const text = podLogs(pod, this.settings, {
      container: q.get('container') ?? undefined, previous: truthy(q.get('previous')), tailLines: intParam('tailLines'), limitBytes: intParam('limitBytes'),
      timestamps: truthy(q.get('timestamps')), sinceSeconds: intParam('sinceSeconds'), sinceTime: q.get('sinceTime') ?? undefined,
    });
    return { status: 200, body: text, contentType: 'text/plain' };
  }

  private async proxy(t: Target, r: SimRequest): Promise<SimResponse> {
    const m = t.name!.match(/^(?:(https?):)?([^:]+)(?::(\d+))?$/);
    if (!m) throw badRequest(`invalid pod request "${t.name}"`);
    const podName = m[2]!;
    const pod = this.store.get('pods', t.namespace, podName);
    if (!pod) throw notFound('pods', podName);
    let port = m[3] ? Number(m[3]) : undefined;
    if (port === undefined) for (const c of pod.spec?.containers ?? []) if (c.ports?.length) { port = c.ports[0].containerPort; break; }
    const ip: string | undefined = pod.status?.podIP;
    if (!ip) throw badRequest('address not allowed');
    const host = port ? `${ip}:${port}` : ip;
    const serving = (pod.status?.containerStatuses ?? []).some((c: any) => c.state?.running && (port === undefined || (pod.spec?.containers ?? []).find((x: any) => x.name === c.name)?.ports?.some((p: any) => p.containerPort === port) !== false));
    if (pod.status?.phase !== 'Running' || !serving) throw serviceUnavailable(`error trying to reach service: dial tcp ${host}: connect: connection refused`);
    const path = '/' + t.subpath;
    const answers = this.settings.proxy.filter((a) => (a.path === path)
      && (!a.pod || globMatch(a.pod, podName))
      && (!a.selector || parseLabelSelector(a.selector)(pod.metadata.labels))
      && (a.port === undefined || a.port === port));
    const a = answers[0];
    if (!a) return { status: 404, body: `Cannot ${r.method} ${path}\n`, contentType: 'text/html; charset=utf-8' };
    if (a.delayMs) await new Promise((res) => setTimeout(res, a.delayMs));
    const isText = typeof a.body === 'string';
    return { status: a.status ?? 200, body: isText ? (a.body as string) : JSON.stringify(a.body ?? {}), contentType: a.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8') };
  }

  // ---- authorization.k8s.io ------------------------------------------------------------
  private accessReview(r: SimRequest): SimResponse {
    const body = this.body(r);
    const a = body?.spec?.resourceAttributes;
    const nra = body?.spec?.nonResourceAttributes;
    if (!a && !nra) {
      throw invalid('SelfSubjectAccessReview', '', 'authorization.k8s.io', [{ field: 'spec.resourceAttributes', message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified' }]);
    }
    const allowed = a ? this.allowed(a.verb ?? '', a.resource ?? '', a.subresource || undefined, a.group ?? '', a.namespace || undefined, a.name || undefined) : true;
    const status: Record<string, unknown> = { allowed };
    if (allowed) status.reason = `RBAC: allowed by RoleBinding "oncall/${a?.namespace ?? 'cluster'}" of Role "oncall" to User "${this.settings.user}"`;
    return json(201, { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: body.spec, status });
  }

  // ---- metrics.k8s.io ----------------------------------------------------------------
  private podUsage(pod: KObj): { name: string; usage: { cpu: string; memory: string } }[] {
    const declared = lookupGlob(this.settings.podMetrics, pod.metadata.name!) ?? {};
    const running = new Set(((pod.status?.containerStatuses ?? []) as any[]).filter((c) => c.state?.running).map((c) => c.name));
    return ((pod.spec?.containers ?? []) as any[]).filter((c) => running.has(c.name)).map((c) => {
      const u = declared[c.name] ?? {};
      const memReq = parseQuantity(c.resources?.requests?.memory) ?? 64 * 1024 ** 2;
      const cpu = parseQuantity(u.cpu) ?? Math.max(0.001, (parseQuantity(c.resources?.requests?.cpu) ?? 0.05) * 0.3);
      const mem = parseQuantity(u.memory) ?? memReq * 0.6;
      return { name: c.name, usage: { cpu: `${Math.round(cpu * 1e9)}n`, memory: `${Math.round(mem / 1024)}Ki` } };
    });
  }

  private metrics(t: Target, r: SimRequest): SimResponse {
    if (r.method !== 'GET') return statusResponse(methodNotAllowed());
    const ts = nowIso();
    let items: KObj[];
    if (t.def.plural === 'pods') {
      items = this.store.list('pods', t.namespace).filter((p) => p.status?.phase === 'Running' && this.podUsage(p).length > 0).map((p) => ({
        metadata: { name: p.metadata.name, namespace: p.metadata.namespace, creationTimestamp: ts, labels: p.metadata.labels },
        timestamp: ts, window: '15.012s', containers: this.podUsage(p),
      }));
    } else {
      const pods = this.store.list('pods').filter((p) => p.status?.phase === 'Running');
      items = this.store.list('nodes').map((n) => {
        let cpu = 0.12, mem = 900 * 1024 ** 2;
        for (const p of pods.filter((x) => x.spec?.nodeName === n.metadata.name)) {
          for (const c of this.podUsage(p)) { cpu += parseQuantity(c.usage.cpu)!; mem += parseQuantity(c.usage.memory)!; }
        }
        return { metadata: { name: n.metadata.name, creationTimestamp: ts, labels: n.metadata.labels }, timestamp: ts, window: '20.022s',
          usage: { cpu: `${Math.round(cpu * 1e9)}n`, memory: `${Math.round(mem / 1024)}Ki` } };
      });
    }
    const { match } = this.selectors(t, r.query);
    items = items.filter(match);
    if (t.name) {
      const o = items.find((i) => i.metadata.name === t.name);
      if (!o) throw notFound(qualified(t.def.plural, t.def.group), t.name);
      return json(200, { kind: t.def.kind, apiVersion: apiVersionOf(t.def), ...o });
    }
    return json(200, { kind: `${t.def.kind}List`, apiVersion: apiVersionOf(t.def), metadata: {}, items });
  }

  // ---- watch -------------------------------------------------------------------------
  private watch(t: Target, q: URLSearchParams, accept: string | undefined): SimResponse {
    const { match } = this.selectors(t, q);
    const rvParam = q.get('resourceVersion');
    const timeoutSeconds = num(q.get('timeoutSeconds'));
    const bookmarks = truthy(q.get('allowWatchBookmarks'));
    const sendInitial = truthy(q.get('sendInitialEvents'));
    const table = wantsTable(accept);
    const include = (q.get('includeObject') as IncludeObject) || 'Metadata';
    let backlog: StoreEvent[] = [];
    let expiredErr: StatusError | undefined;
    const resume = rvParam && rvParam !== '0' && !sendInitial;
    if (resume) {
      try { backlog = this.store.since(Number(rvParam)); } catch (e) { if (e instanceof StatusError) expiredErr = e; else throw e; }
    }
    return {
      stream: (req, res) => {
        res.writeHead(200, { 'Content-Type': table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
        res.flushHeaders();
        let firstTable = true;
        const write = (type: string, obj: unknown) => { if (!res.writableEnded) res.write(JSON.stringify({ type, object: obj }) + '\n'); };
        const send = (type: string, o: KObj) => {
          if (table) {
            const tb = toTable(t.key, [o], { resourceVersion: o.metadata.resourceVersion }, include, apiVersionOf(t.def), t.def.kind) as any;
            if (!firstTable) tb.columnDefinitions = [];
            firstTable = false;
            write(type, tb);
          } else write(type, this.out(t.def, o));
        };
        const bookmark = (annotations?: Record<string, string>) => {
          if (!bookmarks || table) return;
          write('BOOKMARK', { kind: t.def.kind, apiVersion: apiVersionOf(t.def), metadata: { resourceVersion: this.store.resourceVersion, ...(annotations ? { annotations } : {}) } });
        };
        if (expiredErr) { write('ERROR', expiredErr.toStatus()); res.end(); return; }
        const members = new Set<string>();
        const id = (o: KObj) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
        const onEvent = (ev: StoreEvent) => {
          if (ev.key !== t.key) return;
          const m = match(ev.object);
          const k = id(ev.object);
          if (ev.type === 'DELETED') { if (m || members.has(k)) send('DELETED', ev.object); members.delete(k); return; }
          if (m) { send(ev.type === 'ADDED' || (!members.has(k) && !resume) ? 'ADDED' : 'MODIFIED', ev.object); members.add(k); return; }
          if (members.has(k)) { send('DELETED', ev.object); members.delete(k); }
        };
        if (!resume) {
          for (const o of this.store.list(t.key, t.namespace).filter(match)) { send('ADDED', o); members.add(id(o)); }
          if (sendInitial) bookmark({ 'k8s.io/initial-events-end': 'true' });
        } else {
          for (const ev of backlog) onEvent(ev);
        }
        const unsubscribe = this.store.subscribe(onEvent);
        const timers: NodeJS.Timeout[] = [];
        const finish = () => { unsubscribe(); timers.forEach((x) => clearTimeout(x)); this.watches.delete(res); if (!res.writableEnded) res.end(); };
        const limitMs = (timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds : 1800 + Math.floor(Math.random() * 1800)) * 1000;
        timers.push(setTimeout(finish, limitMs));
        if (bookmarks && this.opts.bookmarkIntervalMs > 0) {
          const iv = setInterval(() => bookmark(), this.opts.bookmarkIntervalMs);
          timers.push(iv);
        }
        this.watches.add(res);
        req.on('close', finish);
        res.on('close', finish);
      },
    };
  }
}
