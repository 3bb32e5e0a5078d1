import { containerLabel, logKey, type Finder, type Rule, type RuleContext } from '../context';
import type { Link } from '../dependencyPath';
import { dependencyKind } from '../dependencyPath';
import { logEvidence, restartsText } from '../evidence';
import type { ServiceState } from '../../cluster/snapshot';
import { serviceKey } from '../../cluster/snapshot';
import { failing, linkEvidence, logHits, ownServices, pathDown, pathOf } from './dependency';

const DB_WORDS = /postgres|database|\bdb\b|sequelize|knex|prisma|typeorm|mysql|mongo|:5432\b|:3306\b|:27017\b/i;

export function databaseService(ctx: RuleContext): ServiceState | null {
  const own = ownServices(ctx);
  return own.find((s) => dependencyKind(s.envVar) === 'database') ?? own.find((s) => /postgres|mysql|mongo|\bdb\b/i.test(s.name)) ?? null;
}

/** What to look at for a broken link that has no repair of its own. */
function check(ns: string, l: Link): string | null {
  if (l.kind === 'service') return `kubectl get svc -n ${ns}`;
  if (l.kind === 'endpoints') return `kubectl get ${l.name} -n ${ns}`;
  return null;
}

/**
 * The database path as facts (the chain of dependencyPath.ts) and the app's own complaints
 * in its log. The link from either to the crash is inferred, so the finding is at most
 * likely; the links are stated as facts, an unread one as unknown.
 */
const findDb: Finder = (ctx) => {
  const db = databaseService(ctx);
  const hits = logHits(ctx, db, DB_WORDS);
  const path = db ? pathOf(ctx, db) : null;
  const down = !!path && pathDown(path);
  if (!hits.lines.length && !(down && failing(ctx))) return null;

  const links = path?.links ?? [];
  const facts = (hits.lines.length ? links : links.filter((l) => l.state === 'broken')).map(linkEvidence);
  const broken = links.filter((l) => l.state === 'broken');
  const unknown = links.filter((l) => l.state === 'unknown');
  const where = db ? `${db.host}${db.port ? `:${db.port}` : ''}` : 'its database';
  const why = hits.what ? `: ${hits.what}` : '';
  const said = broken.length ? `; ${broken.map((l) => `${l.name}: ${l.detail}`).join('; ')}` : '';
  const unchecked = unknown.length ? `; not checked: ${unknown.map((l) => l.name).join(', ')} (could not be read)` : '';
  return {
    cause: 'db',
    confidence: 'likely',
    ...(down || hits.classes.has('db-auth') || hits.classes.has('db-connection') ? { rank: 'strong' as const } : {}),
    hint: { kind: 'db', checks: [...new Set(broken.filter((l) => !l.fix).map((l) => check(ctx.namespace, l)).filter((c): c is string => !!c))], repair: path?.broken && !path.broken.mendsAlone ? path.broken.fix : null },
    summary: `${containerLabel(ctx)} cannot use its database ${where}${why}${said}${unchecked}${restartsText(ctx)}.`,
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
