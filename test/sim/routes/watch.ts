// Watch: the initial ADDED list (or the backlog since a resourceVersion), then store events as
// they happen, filtered by the selectors; bookmarks; timeoutSeconds; tables for kubectl -w.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { StatusError } from '../errors';
import { apiVersionOf } from '../resources';
import type { KObj, StoreEvent } from '../store';
import { toTable, wantsTable, type IncludeObject } from '../tables';
import { TABLE_CONTENT_TYPE, num, truthy, type RouteContext, type SimResponse } from './http';
import { selectorsOf } from './match';
import type { Target } from './target';
import { toWire } from './wire';

export function watch(ctx: RouteContext, t: Target, q: URLSearchParams, accept: string | undefined): SimResponse {
  const { store } = ctx;
  const { match } = selectorsOf(t, q);
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
    try { backlog = store.since(Number(rvParam)); } catch (e) { if (e instanceof StatusError) expiredErr = e; else throw e; }
  }
  return {
    stream: (req, res) => {
      res.writeHead(200, { 'Content-Type': table ? TABLE_CONTENT_TYPE : 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      let firstTable = true;
      const write = (type: string, obj: unknown) => { if (!res.writableEnded) res.write(JSON.stringify({ type, object: obj }) + '\n'); };
      const send = (type: string, o: KObj) => {
        if (table) {
          const tb = toTable(t.key, [o], { resourceVersion: o.metadata.resourceVersion }, include, apiVersionOf(t.def), t.def.kind) as any;
          if (!firstTable) tb.columnDefinitions = [];
          firstTable = false;
          write(type, tb);
        } else write(type, toWire(t.def, o));
      };
      const bookmark = (annotations?: Record<string, string>) => {
        if (!bookmarks || table) return;
        write('BOOKMARK', { kind: t.def.kind, apiVersion: apiVersionOf(t.def), metadata: { resourceVersion: store.resourceVersion, ...(annotations ? { annotations } : {}) } });
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
        for (const o of store.list(t.key, t.namespace).filter(match)) { send('ADDED', o); members.add(id(o)); }
        if (sendInitial) bookmark({ 'k8s.io/initial-events-end': 'true' });
      } else {
        for (const ev of backlog) onEvent(ev);
      }
      const unsubscribe = store.subscribe(onEvent);
      const timers: NodeJS.Timeout[] = [];
      const finish = () => { unsubscribe(); timers.forEach((x) => clearTimeout(x)); ctx.watches.delete(res); if (!res.writableEnded) res.end(); };
      const limitMs = (timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds : 1800 + Math.floor(Math.random() * 1800)) * 1000;
      timers.push(setTimeout(finish, limitMs));
      if (bookmarks && ctx.opts.bookmarkIntervalMs > 0) {
        const iv = setInterval(() => bookmark(), ctx.opts.bookmarkIntervalMs);
        timers.push(iv);
      }
      ctx.watches.add(res);
      req.on('close', finish);
      res.on('close', finish);
    },
  };
}
