/** The path from a container to a service it names, as rules read it: the links, the log lines about it. */
import type { RuleContext } from './context';
import type { Evidence } from './diagnosis';
import { dependencyKind, evaluatePath, type DependencyKind, type DependencyPath, type Link } from './dependencyPath';
import { scanLog } from './logLines';
import type { LogClass } from './logPatterns';
import type { ServiceState } from '../cluster/snapshot';

/** Network failures: they count for a dependency only on lines that name it. */
const NETWORK: LogClass[] = ['connection-refused', 'dns', 'timeout', 'connection-reset'];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The Services the focused container's own env names: the snapshot holds those of every
 * diagnosed pod, and a database pod must not be told its own Service is down.
 */
export const ownServices = (ctx: RuleContext): ServiceState[] => ctx.services.filter((s) => (ctx.focus.spec.env ?? []).some((e) => e.name === s.envVar));

/** The log class that says this kind of dependency refuses the credentials. */
export const authClass = (kind: DependencyKind): LogClass | null => (kind === 'database' ? 'db-auth' : kind === 'cache' ? 'cache-auth' : null);

/** The chain from the focused container to one service it names. */
export function pathOf(ctx: RuleContext, dep: ServiceState): DependencyPath {
  const refused = authClass(dependencyKind(dep.envVar));
  const authFailed = !!refused && logHits(ctx, dep, /$^/, [refused]).classes.has(refused);
  return evaluatePath({
    namespace: ctx.namespace, app: ctx.owner.ref, container: ctx.focus.spec, dep,
    deployments: ctx.snapshot.deployments, statefulSets: ctx.snapshot.statefulSets, pods: ctx.snapshot.pods,
    references: ctx.references, unread: ctx.unread, now: ctx.now, authFailed,
    backing: (p) => ctx.diagnoseOther?.(p.metadata.name) ?? null,
  });
}

/**
 * The log lines of the focused container that are about `dep`: the classes only it gives
 * (`own`), and network failures on lines naming its host, Service or port (or `words`).
 */
export function logHits(ctx: RuleContext, dep: ServiceState | null, words: RegExp, own: LogClass[] = ['db-auth', 'db-connection']) {
  const target = dep ? new RegExp([escape(dep.host), escape(dep.name), ...(dep.port ? [`:${dep.port}\\b`] : [])].join('|'), 'i') : null;
  const about = (l: string) => words.test(l) || !!target?.test(l);
  const lines: string[] = [];
  const classes = new Set<LogClass>();
  let what: string | null = null;
  for (const hit of [...scanLog(ctx.logs?.previous.text), ...scanLog(ctx.logs?.current.text)]) {
    if (hit.noise) continue;
    if (!own.includes(hit.class) && !(NETWORK.includes(hit.class) && about(hit.text))) continue;
    classes.add(hit.class);
    lines.push(hit.line);
    what = hit.meaning;
  }
  return { lines: lines.slice(-Math.max(1, ctx.logLines)), what, classes };
}

/** A link as evidence: stated as a fact, with its state. */
export const linkEvidence = (l: Link): Evidence => ({ source: l.source, detail: `fact: ${l.name}: ${l.detail} (${l.state})`, at: null });

/** The dependency cannot serve: no Service, no ready endpoint, or its workload is down. */
export const pathDown = (p: DependencyPath) => p.links.some((l) => l.state === 'broken' && l.kind !== 'credentials');

export const failing = (ctx: RuleContext) => (ctx.focus.status?.restartCount ?? 0) > 0 || ctx.focus.status?.ready === false;
