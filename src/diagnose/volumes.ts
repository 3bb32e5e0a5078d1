import { formatBytes, parseQuantity } from '../kube/quantity';
import type { RuleContext } from './context';
import type { Evidence } from './diagnosis';
import { linesOfClass } from './logLines';

/** A PersistentVolumeClaim a container writes to. `size` is what the StatefulSet's volumeClaimTemplate asked for, when known. */
export interface ClaimMount { claim: string; volume: string; mountPath: string; size: string | null }

// The fields the shared kube types leave out.
interface VolumeSpec { name: string; persistentVolumeClaim?: { claimName: string } }
interface MountSpec { name: string; mountPath: string; readOnly?: boolean }
interface ClaimTemplate { metadata?: { name?: string }; spec?: { resources?: { requests?: { storage?: string } } } }

/** The writable PVC mounts of the focused container. */
export function claimMounts(ctx: RuleContext): ClaimMount[] {
  const volumes = (ctx.pod.spec.volumes ?? []) as VolumeSpec[];
  const mounts = ((ctx.focus.spec as { volumeMounts?: MountSpec[] }).volumeMounts ?? []).filter((m) => !m.readOnly);
  const templates = ((ctx.owner.statefulSet?.spec as { volumeClaimTemplates?: ClaimTemplate[] } | undefined)?.volumeClaimTemplates ?? []);
  const out: ClaimMount[] = [];
  for (const m of mounts) {
    const claim = volumes.find((v) => v.name === m.name)?.persistentVolumeClaim?.claimName;
    if (!claim) continue;
    // A StatefulSet names its claims TEMPLATE-PODNAME.
    const size = templates.find((t) => t.metadata?.name && claim === `${t.metadata.name}-${ctx.pod.metadata.name}`)?.spec?.resources?.requests?.storage ?? null;
    out.push({ claim, volume: m.name, mountPath: m.mountPath, size });
  }
  return out;
}

export interface DiskFull { lines: string[]; claims: ClaimMount[]; evidence: Evidence[] }

/** The container's log says its disk is full: which lines, and the claims it could mean. */
export function diskFull(ctx: RuleContext): DiskFull | null {
  const lines = linesOfClass(ctx.logs, 'disk-full').slice(-2).map((h) => h.line);
  if (!lines.length) return null;
  const claims = claimMounts(ctx);
  const evidence: Evidence[] = claims.map((c) => ({
    source: 'spec',
    detail: `${ctx.focus.name} writes to PersistentVolumeClaim ${c.claim} (volume ${c.volume} at ${c.mountPath}${c.size ? `, created with ${c.size}` : ''})`,
    at: null,
  }));
  return { lines, claims, evidence };
}

/** Twice the size the claim was created with; the current size may be larger, so the fix shows it first. */
export function expandedSize(size: string | null): string | null {
  const bytes = size ? parseQuantity(size) : null;
  return bytes ? formatBytes(2 * bytes) : null;
}
