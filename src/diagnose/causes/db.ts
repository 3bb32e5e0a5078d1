import { containerLabel, logKey, type RuleContext } from '../context';
import { dependencyKind, type Link } from '../dependencyPath';
import { failing, linkEvidence, logHits, ownServices, pathDown, pathOf } from '../dependencyEvidence';
import type { Fix } from '../diagnosis';
import { logEvidence, restartsText } from '../evidence';
import type { ServiceState } from '../../cluster/snapshot';
import { serviceKey } from '../../cluster/snapshot';
import type { FixKit } from '../fixKit';
import { defineCause, type CauseModule, type Found } from './cause';

/** checks: what to look at for broken links with no repair; repair: the command that mends the first broken link. */
interface DbHint { checks: string[]; repair: Fix | null }

const DB_WORDS = /postgres|database|\bdb\b|sequelize|knex|prisma|typeorm|mysql|mongo|:5432\b|:3306\b|:27017\b/i;

function databaseService(ctx: RuleContext): ServiceState | null {
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
function findDb(ctx: RuleContext): Found<'db', DbHint> | null {
  const service = databaseService(ctx);
  const hits = logHits(ctx, service, DB_WORDS);
  const path = service ? pathOf(ctx, service) : null;
  const down = !!path && pathDown(path);
  if (!hits.lines.length && !(down && failing(ctx))) return null;

  const links = path?.links ?? [];
  const facts = (hits.lines.length ? links : links.filter((l) => l.state === 'broken')).map(linkEvidence);
  const broken = links.filter((l) => l.state === 'broken');
  const unknown = links.filter((l) => l.state === 'unknown');
  const where = service ? `${service.host}${service.port ? `:${service.port}` : ''}` : 'its database';
  const why = hits.what ? `: ${hits.what}` : '';
  const said = broken.length ? `; ${broken.map((l) => `${l.name}: ${l.detail}`).join('; ')}` : '';
  const unchecked = unknown.length ? `; not checked: ${unknown.map((l) => l.name).join(', ')} (could not be read)` : '';
  return {
    cause: 'db',
    confidence: 'likely',
    ...(down || hits.classes.has('db-auth') || hits.classes.has('db-connection') ? { rank: 'strong' as const } : {}),
    hint: { checks: [...new Set(broken.filter((l) => !l.fix).map((l) => check(ctx.namespace, l)).filter((c): c is string => !!c))], repair: path?.broken && !path.broken.mendsAlone ? path.broken.fix : null },
    summary: `${containerLabel(ctx)} cannot use its database ${where}${why}${said}${unchecked}${restartsText(ctx)}.`,
    evidence: [...logEvidence(hits.lines), ...facts],
  };
}

/**
 * The repair of the dependency path's first broken link when the chain names one (scale the
 * database back up, point the env at the Service that exists, align the credentials);
 * otherwise `fix db`, which re-checks the path and restarts only once that can help.
 */
function dbFix(k: FixKit, hint: DbHint | undefined): Fix {
  if (hint?.repair) return hint.repair;
  return { command: k.plugin('fix db'), kubectl: [...(hint?.checks ?? []), `kubectl rollout restart ${k.ref} ${k.ns}`] };
}

/**
 * A Service with no ready endpoints behind a failing container, or the database's own words
 * in its log, rank with confirmed causes (strong): either could be in what was not read.
 */
export const db: CauseModule<'db'> = defineCause({
  cause: 'db',
  fixCommand: 'fix db',
  find: findDb,
  fix: (k, f) => dbFix(k, f.hint),
  dependsOn: (ctx) => {
    const service = databaseService(ctx);
    const strong = { confidence: 'likely' as const, rank: 'strong' as const };
    return [
      { piece: 'logs', key: logKey(ctx), could: strong },
      ...(service ? [{ piece: 'service' as const, key: serviceKey(service), could: strong }, { piece: 'endpoints' as const, key: serviceKey(service), could: strong }] : []),
    ];
  },
});
