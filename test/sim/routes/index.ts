// The API router: resource paths → list / get / create / update / patch / delete / watch, the
// status and scale subresources, pods/log, pods/proxy, services/proxy, metrics, access reviews (one module
// each beside this one). Every failure is a `kind: Status` worded like the real API server's.
import type { ServerResponse } from 'node:http';
import { runControllers } from '../controllers/index';
import { discovery } from '../discovery';
import { StatusError, badRequest, forbidden } from '../errors';
import { qualified } from '../resources';
import type { SimSettings } from '../settings';
import type { Store } from '../store';
import { accessReview, allowed } from './access';
import { json, methodNotAllowedResponse, pageNotFound, statusResponse, truthy, type ApiOptions, type RouteContext, type SimRequest, type SimResponse } from './http';
import { podLog } from './logs';
import { metrics } from './metrics';
import { podProxy } from './proxy';
import { serviceProxy } from './serviceProxy';
import { getObject, listObjects } from './read';
import { scale } from './scale';
import { parseTarget, verbOf } from './target';
import { watch } from './watch';
import { createObject, deleteCollection, deleteObject, patchObject, updateObject } from './write';

export { statusResponse, type ApiOptions, type PlainResponse, type SimRequest, type SimResponse } from './http';

export class Api {
  private readonly ctx: RouteContext;

  constructor(store: Store, private readonly settings: SimSettings, opts: ApiOptions) {
    this.ctx = {
      store, settings, opts, watches: new Set<ServerResponse>(),
      afterWrite: () => runControllers({ store, settings }, opts.controllers),
    };
  }

  /** End every open watch (server close). */
  closeWatches(): void {
    for (const w of this.ctx.watches) w.end();
    this.ctx.watches.clear();
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

  private async route(r: SimRequest): Promise<SimResponse> {
    const { ctx, settings } = this;
    const path = r.path.length > 1 ? r.path.replace(/\/+$/, (m) => (r.path.includes('/proxy/') ? m : '')) : r.path;
    if (r.method === 'GET') {
      const d = discovery(path, { metrics: settings.metrics, serverAddress: ctx.opts.serverAddress() });
      if (d) return json(200, d);
      if (['/healthz', '/livez', '/readyz'].includes(path)) return { status: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' };
    }
    const t = parseTarget(path, settings);
    if (!t) return pageNotFound();
    const q = r.query;
    const watching = t.watchPath || (r.method === 'GET' && truthy(q.get('watch')));
    const verb = verbOf(r.method, t, watching);
    if (t.def.group === 'authorization.k8s.io') {
      if (r.method !== 'POST' || t.name) return methodNotAllowedResponse();
      return accessReview(settings, r);
    }
    const qr = qualified(t.def.plural, t.def.group);
    const authName = t.name?.replace(/^(https?:)?([^:]+)(:.*)?$/, '$2');
    if (!allowed(settings, verb, t.def.plural, t.sub, t.def.group, t.namespace, authName)) {
      throw forbidden(settings.user, verb, qr, authName, t.def.group, t.def.namespaced ? t.namespace : undefined, t.sub);
    }
    if (t.def.optional === 'metrics') return metrics(ctx, t, r);
    if (t.def.namespaced && t.name && t.namespace === undefined) return pageNotFound();
    const dryRun = q.getAll('dryRun');
    if (dryRun.some((d) => d !== 'All')) throw badRequest(`dryRun: Unsupported value: "${dryRun.find((d) => d !== 'All')}": supported values: "All"`);
    const isDry = dryRun.length > 0;

    if (t.sub === 'log') return podLog(ctx, t, q);
    if (t.sub === 'proxy') return t.def.plural === 'services' ? serviceProxy(ctx, t, r) : podProxy(ctx, t, r);
    if (t.sub === 'scale') return scale(ctx, t, r, isDry);
    if (watching) return watch(ctx, t, q, r.headers.accept);
    switch (r.method) {
      case 'GET': case 'HEAD':
        return t.name ? getObject(ctx, t, r) : listObjects(ctx, t, q, r.headers.accept);
      case 'POST':
        return t.name ? methodNotAllowedResponse() : createObject(ctx, t, r, isDry);
      case 'PUT':
        return t.name ? updateObject(ctx, t, r, isDry) : methodNotAllowedResponse();
      case 'PATCH':
        return t.name ? patchObject(ctx, t, r, isDry) : methodNotAllowedResponse();
      case 'DELETE':
        return t.name ? deleteObject(ctx, t, r, isDry) : deleteCollection(ctx, t, q, isDry);
      default:
        return methodNotAllowedResponse();
    }
  }
}
