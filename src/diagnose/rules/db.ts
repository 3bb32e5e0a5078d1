import { evaluateDbPath } from '../../remedy/db';
import { containerLabel, type Rule, type RuleContext } from '../context';
import type { Evidence } from '../diagnosis';
import { logEvidence, restartsText } from '../evidence';
import { scanLog } from '../logLines';
import type { LogClass } from '../logPatterns';
import type { ServiceState } from '../snapshot';

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

/**
 * The database path as facts (Service, ready endpoints, database pods, credential keys: the
 * checks `fix db` runs) and the app's own complaints in its log. The link from either to the
 * crash is inferred, so the finding is at most likely; the service facts are stated as facts.
 */
export const dbRule: Rule = (ctx) => {
  const db = databaseService(ctx);
  const hits = logHits(ctx, db);
  const path = db ? evaluateDbPath(ctx.namespace, ctx.focus.spec, db, ctx.references) : null;
  if (path && db) path.checks = path.checks.map((c) => (c.name === 'database pods' ? podsFromEndpoints(db, c) : c));
  const bad = path?.checks.filter((c) => !c.ok) ?? [];
  // Ready endpoint addresses are what clients reach; the backend pod list is empty for a
  // database in another namespace, so it cannot decide "down" on its own.
  const readyAddresses = (db?.endpoints?.subsets ?? []).flatMap((x) => x.addresses ?? []).length;
  const pathDown = !!db && (!db.service || (!!db.endpoints && readyAddresses === 0));
  const failing = (ctx.focus.status?.restartCount ?? 0) > 0 || ctx.focus.status?.ready === false;
  if (!hits.lines.length && !(pathDown && failing)) return null;

  const facts: Evidence[] = (hits.lines.length ? path?.checks ?? [] : bad).map((c) => ({
    source: c.name.includes('secret') ? 'secret' : 'service',
    detail: `fact: ${c.name}: ${c.detail} (${c.ok ? 'ok' : 'broken'})`,
    at: null,
  }));
  const where = db ? `${db.host}${db.port ? `:${db.port}` : ''}` : 'its database';
  const why = hits.what ? `: ${hits.what}` : '';
  const down = bad.length ? `; ${bad.map((c) => `${c.name}: ${c.detail}`).join('; ')}` : '';
  return {
    cause: 'db',
    confidence: 'likely',
    ...(pathDown || hits.dbSaid ? { rank: 'strong' as const } : {}),
    hint: { kind: 'db', checks: [...new Set(bad.map((c) => c.fix).filter((f): f is string => !!f))] },
    summary: `${containerLabel(ctx)} cannot use its database ${where}${why}${down}${restartsText(ctx)}.`,
    evidence: [...logEvidence(hits.lines), ...facts],
  };
};
