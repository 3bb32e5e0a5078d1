import { CHANGE_CAUSE_ANNOTATION, revisionOf } from '../kube/deployment';
import { durableChange, managerOf, valuesOf } from '../remedy/managed';
import { sanitizeLogLine } from '../security/sanitize';
import { CAUSES } from './causes';
import type { ChangeInfo } from './change';
import type { RuleContext } from './context';
import type { Fix } from './diagnosis';
import type { Finding } from './finding';
import { FixKit, workloadOf } from './fixKit';

/** Flags that say how a change is run, not what it changes. */
const RUN_FLAGS = new Set(['yes', 'y', 'dry-run', 'wait', 'no-wait', 'timeout', 'settle', 'o', 'output', 'n', 'namespace', 'context', 'container', 'c', 'request-timeout', 'no-color', 'debug']);
const SWITCHES = new Set(['yes', 'y', 'dry-run', 'wait', 'no-wait', 'no-color', 'disable', 'debug']);

/** `kubectl dhakacart fix probe deployment/x --port=5000 --yes` → `fix probe` and `port=5000`: what the change was. */
export function ownCommand(command: string): { sub: string; flags: string } | null {
  const words = command.split(' #')[0]!.trim().split(/\s+/);
  if (words[0] !== 'kubectl' || words[1] !== 'dhakacart' || !words[2]) return null;
  const fix = words[2] === 'fix' && words[3];
  const sub = fix ? `fix ${words[3]}` : words[2];
  const flags: string[] = [];
  const rest = words.slice(fix ? 4 : 3);
  for (let i = 0; i < rest.length; i++) {
    const m = /^--?([\w-]+)(?:=(.*))?$/.exec(rest[i]!);
    if (!m) continue;
    const [, name, inline] = m as unknown as [string, string, string | undefined];
    const value = inline ?? (SWITCHES.has(name) || rest[i + 1]?.startsWith('-') ? 'true' : rest[++i] ?? 'true');
    if (!RUN_FLAGS.has(name)) flags.push(`${name}=${value}`);
  }
  return { sub, flags: flags.sort().join(' ') };
}

/**
 * The plugin's own change that made the pod's revision (the deployment controller copies the
 * change-cause onto the ReplicaSet it creates), when the fix proposed now is that same change:
 * it was applied and the pod still fails the same way.
 */
function sameFixFailed(ctx: RuleContext, f: Finding, fix: Fix | null): string | null {
  const cause = ctx.owner.replicaSet?.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '';
  const tried = ownCommand(cause);
  if (!tried || tried.sub === 'rollback') return null;
  const now = fix ? ownCommand(fix.command) : null;
  const same = now ? now.sub === tried.sub && now.flags === tried.flags : tried.sub === CAUSES.find((c) => c.cause === f.cause)?.fixCommand;
  return same ? cause : null;
}

/** After the fix that failed: go back to a revision that ran healthy, else say it did not help. */
function nextStep(k: FixKit, f: Finding, tried: string): Fix {
  const rev = revisionOf(k.ctx.owner.replicaSet!) ?? '?';
  const said = `'${sanitizeLogLine(tried)}' made revision ${rev} and the pod still fails the same way (${f.cause}); not proposing it again. `;
  const aim = k.rollbackAim();
  const back = aim?.knownHealthy ? k.rollback(aim, said) : null;
  return back ?? { command: `# ${said}No earlier revision is known to have run healthy: escalate with this diagnosis`, kubectl: [] };
}

/** For a Helm/Argo CD/Flux-managed Deployment the Next: line says the next sync undoes the patch, and what to change instead. */
function withManager(k: FixKit, fix: Fix): Fix {
  const meta = k.ctx.owner.deployment?.metadata ?? k.ctx.owner.statefulSet?.metadata;
  const action = ownCommand(fix.command)?.sub ?? '';
  const m = meta ? managerOf(meta) : null;
  if (!m || fix.command.startsWith('#')) return fix;
  const durable = durableChange(m, k.ctx.namespace, valuesOf(k.changes), action);
  return { command: `${fix.command}  # managed by ${m.tool} (${m.name}): its next ${m.tool === 'Helm' ? 'upgrade' : 'sync'} undoes this; durable: ${durable}`, kubectl: fix.kubectl };
}

/**
 * The remedy for the verdict, as the plugin command and the plain kubectl it amounts to.
 * Placeholders (USER, PASSWORD, VALUE, TAG) stand where only a human knows the value.
 */
export function buildFix(ctx: RuleContext, f: Finding, change: ChangeInfo): Fix | null {
  const w = workloadOf(ctx);
  if (!w) return null;
  const kit = new FixKit(ctx, w, change);
  const fix = f.remedy(kit);
  const tried = sameFixFailed(ctx, f, fix);
  const next = tried ? nextStep(kit, f, tried) : fix;
  return next && withManager(kit, next);
}
