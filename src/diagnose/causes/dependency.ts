import { containerLabel, logKey, type RuleContext } from '../context';
import { dependencyKind } from '../dependencyPath';
import { authClass, failing, linkEvidence, logHits, ownServices, pathDown, pathOf } from '../dependencyEvidence';
import type { Fix } from '../diagnosis';
import { logEvidence, restartsText } from '../evidence';
import { serviceKey } from '../../cluster/snapshot';
import { defineCause, type CauseModule, type Found } from './cause';

const CACHE_WORDS = /redis|memcache|\bcache\b|:6379\b|:11211\b/i;

/**
 * A service the container needs that is not the database (cache, another API) is down, and
 * the container fails: its log names it, or the path itself is broken. The finding is
 * inferred (likely); a broken path ranks it with confirmed causes, like the database's.
 */
function findDependency(ctx: RuleContext): Found<'dependency', Fix | null> | null {
  const found = ownServices(ctx).filter((d) => dependencyKind(d.envVar) !== 'database').map((dep) => {
    const path = pathOf(ctx, dep);
    const kind = dependencyKind(dep.envVar);
    const refused = authClass(kind);
    const hits = logHits(ctx, dep, kind === 'cache' ? CACHE_WORDS : /$^/, refused ? [refused] : []);
    return { dep, path, hits };
    // The log names it and a link could not be read: the finding stands (likely), with no link to repair.
  }).filter((x) => failing(ctx) && (x.path.broken ? x.hits.lines.length || pathDown(x.path) : x.hits.lines.length && x.path.links.some((l) => l.state === 'unknown')));
  const top = found.find((x) => x.hits.lines.length && pathDown(x.path)) ?? found[0];
  if (!top) return null;
  const { dep, path, hits } = top;
  const where = `${dep.host}${dep.port ? `:${dep.port}` : ''}`;
  const broken = path.links.filter((l) => l.state !== 'ok');
  return {
    cause: 'dependency',
    confidence: 'likely',
    ...(pathDown(path) ? { rank: 'strong' as const } : {}),
    hint: path.broken?.fix ?? null,
    summary: `${containerLabel(ctx)} cannot use ${path.kind === 'cache' ? 'its cache' : 'the service'} ${where} (${dep.envVar})${hits.what ? `: ${hits.what}` : ''}; ${broken.map((l) => `${l.name}: ${l.detail}`).join('; ')}${restartsText(ctx)}.`,
    evidence: [...logEvidence(hits.lines), ...path.links.map(linkEvidence)],
  };
}

/** The hint is the repair of the path's first broken link (dependencyPath.ts), when one does. */
export const dependency: CauseModule<'dependency'> = defineCause({
  cause: 'dependency',
  find: findDependency,
  fix: (_k, f) => f.hint ?? null,
  dependsOn: (ctx) => {
    const strong = { confidence: 'likely' as const, rank: 'strong' as const };
    return [
      { piece: 'logs', key: logKey(ctx), could: { confidence: 'likely' } },
      ...ownServices(ctx).filter((d) => dependencyKind(d.envVar) !== 'database')
        .flatMap((d) => [{ piece: 'service' as const, key: serviceKey(d), could: strong }, { piece: 'endpoints' as const, key: serviceKey(d), could: strong }]),
    ];
  },
});
