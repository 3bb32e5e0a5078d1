import { clusterError } from '../errors';
import { CHANGE_CAUSE_ANNOTATION, revisionOf } from '../kube/deployment';
import { ownedReplicaSets } from '../kube/template';
import type { Deployment, ReplicaSet } from '../kube/types';
import { pickContainer } from './container';
import { broughtBackFrom } from './rollback';
import { containerChange, type Plan } from './plan';

/** "repo/app:tag" → "repo/app" (a registry port's colon is not a tag; a digest is dropped). */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** --to accepts a whole image reference or just a tag for the current repository. */
export function resolveImage(current: string, to: string): string {
  return /[/:@]/.test(to) ? to : `${imageRepository(current)}:${to}`;
}

/** The image of the newest earlier revision whose image differs from the current one. */
export function previousImage(dep: Deployment, replicaSets: ReplicaSet[], container: string, current: string): { image: string; revision: number } | null {
  const currentRev = revisionOf(dep) ?? 0;
  const history = ownedReplicaSets(dep, replicaSets)
    .map((rs) => ({ rs, rev: revisionOf(rs) ?? 0 }))
    .filter((h) => h.rev < currentRev || currentRev === 0)
    .sort((a, b) => b.rev - a.rev);
  for (const { rs, rev } of history) {
    const image = rs.spec.template.spec.containers.find((c) => c.name === container)?.image;
    if (image && image !== current) return { image, revision: rev };
  }
  return null;
}

/** The newest earlier revision whose container ran this image, if any. */
function revisionWithImage(dep: Deployment, replicaSets: ReplicaSet[], container: string, image: string): string | null {
  const currentRev = revisionOf(dep) ?? 0;
  const revs = ownedReplicaSets(dep, replicaSets)
    .filter((rs) => (revisionOf(rs) ?? 0) < currentRev && rs.spec.template.spec.containers.find((c) => c.name === container)?.image === image)
    .map((rs) => revisionOf(rs) ?? 0);
  return revs.length ? String(Math.max(...revs)) : null;
}

export interface ImageOptions { to?: string; container?: string }

/**
 * Point the container at another image. `existingSecrets` lists the Secrets that exist
 * (null when they could not be read), to warn before a pull that cannot authenticate.
 */
export function planImage(dep: Deployment, replicaSets: ReplicaSet[], o: ImageOptions, existingSecrets: Set<string> | null, action = 'fix image'): Plan {
  const c = pickContainer(dep, o.container);
  const current = c.image ?? '';
  let target: string;
  let why: string;
  if (o.to) {
    target = resolveImage(current, o.to);
    why = 'as asked';
  } else {
    // A re-run after our own `fix image` would otherwise go one image further back each time.
    const cause = dep.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '';
    const earlier = cause.startsWith('kubectl dhakacart fix image') && !/\s--to[\s=]/.test(cause) ? (broughtBackFrom(dep, replicaSets) ?? revisionWithImage(dep, replicaSets, c.name, current)) : null;
    if (earlier !== null) {
      return {
        action, deployment: dep.metadata.name, changes: [], patch: null, expect: {}, warnings: [], rollout: false,
        noop: `an earlier '${cause}' already took container ${c.name} back to ${current} (the image of revision ${earlier}); another plain fix image would go further back. Name the image with --to IMAGE or --to TAG`,
      };
    }
    const prev = previousImage(dep, replicaSets, c.name, current);
    if (!prev) {
      throw clusterError(`no earlier revision of deployment ${dep.metadata.name} used an image other than ${current}`, 'name one with --to IMAGE or --to TAG');
    }
    target = prev.image;
    why = `the image of revision ${prev.revision}`;
  }
  const warnings: string[] = [];
  const missing = (dep.spec.template.spec.imagePullSecrets ?? []).map((s) => s.name).filter((n) => existingSecrets && !existingSecrets.has(n));
  if (missing.length) warnings.push(`imagePullSecrets ${missing.join(', ')} do not exist in the namespace: a private registry will refuse the pull`);
  if (target === current) {
    return { action, deployment: dep.metadata.name, changes: [], patch: null, expect: {}, warnings, rollout: false, noop: `container ${c.name} already runs ${current}` };
  }
  return {
    action,
    deployment: dep.metadata.name,
    changes: [{ path: `spec.template.spec.containers[${c.name}].image`, from: current, to: target }],
    ...containerChange(dep, c.name, { image: target }),
    warnings: [`going to ${target} (${why})`, ...warnings],
    rollout: true,
    noop: null,
  };
}
