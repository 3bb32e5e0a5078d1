import { evaluateDbPath } from '../../remedy/db';
import { containerLabel, logKey, type Finder, type Rule, type RuleContext } from '../context';
import type { Evidence } from '../diagnosis';
import { logEvidence, restartsText } from '../evidence';
import { scanLog } from '../logLines';
import type { LogClass } from '../logPatterns';
import type { ServiceState } from '../snapshot';
import { describeGaps, referenceKey, serviceKey } from '../unread';

/** Classes only a database's answer gives. */
const DB_ONLY: LogClass[] = ['db-auth', 'db-connection'];
/** Network failures, counted only on lines that point at the database. */
const NETWORK: LogClass[] = ['connection-refused', 'dns', 'timeout', 'connection-reset'];
const DB_WORDS = /postgres|database|\bdb\b|sequelize|knex|prisma|typeorm|mysql|mongo|:5432\b|:3306\b|:27017\b/i;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function databaseService(ctx: RuleContext): ServiceState | null {
  return ctx.services.find((s) => s.envVar === 'DB_HOST') ?? ctx.services.find((s) => /postgres|mysql|mongo|\bdb\b/i.test(s.name)) ?? null;
}

function logHits(ctx: RuleContext, db: ServiceState | null): { lines: string[]; what: string | null; dbSaid: boolean } {
  const target = db ? new RegExp([escape(db.host), escape(db.name), ...(db.port ? [`:${db.port}\\b`] : [])].join('|'), 'i') : null;
  const aboutDb = (l: string) => DB_WORDS.test(l) || !!target?.test(l);
  const lines: string[] = [];
  let what: string | null = null;
  let dbSaid = false;
  for (const hit of [...scanLog(ctx.logs?.previous.text), ...scanLog(ctx.logs?.current.text)]) {
    if (hit.noise) continue;
    const own = DB_ONLY.includes(hit.class);
    if (!own && !(NETWORK.includes(hit.class) && aboutDb(hit.text))) continue;
    dbSaid ||= own;
    lines.push(hit.line);
    what = hit.meaning;
  }
  return { lines: lines.slice(-Math.max(1, ctx.logLines)), what, dbSaid };
}

type Check = NonNullable<ReturnType<typeof evaluateDbPath>>['checks'][number];

/**
 * "No pods match" is only true when the snapshot's pod list could hold them: `why` without a
 * POD lists the selector's pods only. The endpoints name the database pods either way.
 */
function podsFromEndpoints(db: ServiceState, c: Check): Check {
  if (db.backends.length) return c;
  const names = (list: { targetRef?: { name?: string } }[] | undefined) => (list ?? []).map((a) => a.targetRef?.name).filter((n): n is string => !!n);
  const ready = (db.endpoints?.subsets ?? []).flatMap((x) => names(x.addresses));
  const notReady = (db.endpoints?.subsets ?? []).flatMap((x) => names(x.notReadyAddresses));
  if (!ready.length && !notReady.length) return c;
  return { ...c, ok: ready.length > 0, detail: `${ready.length}/${ready.length + notReady.length} Ready per endpoints ${db.name} (${[...ready, ...notReady].join(', ')})` };
}

type CheckState = 'ok' | 'broken' | 'unknown';

/**
 * Which checks rest on a read that failed: a Service, endpoints or Secret that could not be
 * read is unknown, not missing, and its check neither breaks nor clears the path.
 */
function unknownChecks(ctx: RuleContext, db: ServiceState, checks: Check[]): Map<string, string> {
  const out = new Map<string, string>();
  const service = ctx.unread('service', serviceKey(db));
  const endpoints = ctx.unread('endpoints', serviceKey(db));
  if (service.length) out.set(`service ${db.name}`, describeGaps(service));
  if (endpoints.length) out.set(`endpoints ${db.name}`, describeGaps(endpoints));
  // Without the Service's selector the database pods are known only through its endpoints.
  const pods = checks.find((c) => c.name === 'database pods');
  if (service.length && pods && !db.backends.length && !/per endpoints/.test(pods.detail)) out.set('database pods', describeGaps(service));
  for (const e of ctx.focus.spec.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef;
    const gaps = ref ? ctx.unread('reference', referenceKey({ kind: 'Secret', name: ref.name })) : [];
    if (ref && gaps.length) out.set(`${e.name} ← secret ${ref.name}/${ref.key}`, describeGaps(gaps));
  }
  return out;
}

/**
 * The database path as facts (Service, ready endpoints, database pods, credential keys: the
 * checks `fix db` runs) and the app's own complaints in its log. The link from either to the
 * crash is inferred, so the finding is at most likely; the service facts are stated as facts.
 */
const findDb: Finder = (ctx) => {
  const db = databaseService(ctx);
  const hits = logHits(ctx, db);
  const path = db ? evaluateDbPath(ctx.namespace, ctx.focus.spec, db, ctx.references) : null;
  if (path && db) path.checks = path.checks.map((c) => (c.name === 'database pods' ? podsFromEndpoints(db, c) : c));
  const unknown = db && path ? unknownChecks(ctx, db, path.checks) : new Map<string, string>();
  const state = (c: Check): CheckState => (unknown.has(c.name) ? 'unknown' : c.ok ? 'ok' : 'broken');
  const bad = path?.checks.filter((c) => state(c) === 'broken') ?? [];
  // Ready endpoint addresses are what clients reach; the backend pod list is empty for a
  // database in another namespace, so it cannot decide "down" on its own.
  const readyAddresses = (db?.endpoints?.subsets ?? []).flatMap((x) => x.addresses ?? []).length;
  const pathDown = !!db && ((!db.service && !unknown.has(`service ${db.name}`)) || (!!db.endpoints && readyAddresses === 0));
  const failing = (ctx.focus.status?.restartCount ?? 0) > 0 || ctx.focus.status?.ready === false;
  if (!hits.lines.length && !(pathDown && failing)) return null;

  const facts: Evidence[] = (hits.lines.length ? path?.checks ?? [] : bad).map((c) => ({
    source: c.name.includes('secret') ? 'secret' : 'service',
    detail: state(c) === 'unknown' ? `fact: ${c.name}: could not be read: ${unknown.get(c.name)} (unknown)` : `fact: ${c.name}: ${c.detail} (${state(c)})`,
    at: null,
  }));
  const where = db ? `${db.host}${db.port ? `:${db.port}` : ''}` : 'its database';
  const why = hits.what ? `: ${hits.what}` : '';
  const down = bad.length ? `; ${bad.map((c) => `${c.name}: ${c.detail}`).join('; ')}` : '';
  const unchecked = unknown.size ? `; not checked: ${[...unknown.keys()].join(', ')} (could not be read)` : '';
  return {
    cause: 'db',
    confidence: 'likely',
    ...(pathDown || hits.dbSaid ? { rank: 'strong' as const } : {}),
    hint: { kind: 'db', checks: [...new Set(bad.map((c) => c.fix).filter((f): f is string => !!f))] },
    summary: `${containerLabel(ctx)} cannot use its database ${where}${why}${down}${unchecked}${restartsText(ctx)}.`,
    evidence: [...logEvidence(hits.lines), ...facts],
  };
};

/**
 * A Service with no ready endpoints behind a failing container, or the database's own words
 * in its log, rank with confirmed causes (strong): either could be in what was not read.
 */
export const dbRule: Rule = {
  cause: 'db',
  find: findDb,
  dependsOn: (ctx) => {
    const db = databaseService(ctx);
    const strong = { confidence: 'likely' as const, rank: 'strong' as const };
    return [
      { piece: 'logs', key: logKey(ctx), could: strong },
      ...(db ? [{ piece: 'service' as const, key: serviceKey(db), could: strong }, { piece: 'endpoints' as const, key: serviceKey(db), could: strong }] : []),
    ];
  },
};
