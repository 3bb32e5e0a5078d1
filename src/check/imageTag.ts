import type { Container } from '../kube/types';
import { combine, kubectlOn, verdict } from './fix';
import type { CheckContext, Rule, Verdict } from './types';
import { containersOf } from './types';

/** An image reference's parts: `registry/repo:tag@sha256:...`. */
export function parseImage(image: string): { name: string; tag: string | null; digest: string | null } {
  const [ref = '', digest] = image.split('@');
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const tagged = colon > slash;
  return { name: tagged ? ref.slice(0, colon) : ref, tag: tagged ? ref.slice(colon + 1) : null, digest: digest ?? null };
}

/** The digest a running pod of the workload pulled for the container (containerStatuses imageID), when one did. */
function runningDigest(ctx: CheckContext, container: string): string | null {
  if (ctx.pods.state !== 'read') return null;
  for (const p of ctx.pods.value) {
    const id = p.status?.containerStatuses?.find((s) => s.name === container)?.imageID ?? '';
    const m = /@(sha256:[0-9a-f]{64})$/.exec(id);
    if (m) return m[1]!;
  }
  return null;
}

function container(ctx: CheckContext, c: Container): Verdict {
  const image = c.image ?? '';
  const { name, tag, digest } = parseImage(image);
  if (digest) return verdict('pass', '');
  const mutable = tag === null || tag === 'latest';
  if (!mutable && !ctx.strict) return verdict('pass', '');
  const pinned = runningDigest(ctx, c.name);
  // What runs now, pinned: the digest the kubelet pulled; without one, the digest to look up.
  const to = `${mutable ? name : `${name}:${tag}`}@${pinned ?? '<digest>'}`;
  const how = pinned ? '' : ` (the registry's digest: docker buildx imagetools inspect ${image})`;
  const fix = kubectlOn(ctx.workload, 'set image', [`${c.name}=${to}`]);
  const why = mutable ? `${c.name} runs ${image}${tag === null ? ' (no tag: :latest)' : ''}, which changes under the same name` : `${c.name} runs ${image} without a registry digest (--strict)`;
  return verdict('fail', `${why}; pin it${pinned ? ` to the running digest ${pinned.slice(0, 19)}...` : how}`, fix);
}

export const imageTag: Rule = {
  id: 'image-tag',
  title: 'Image tags immutable',
  check: (ctx) => combine(containersOf(ctx.workload).map((c) => container(ctx, c)),
    ctx.strict ? 'every image is pinned to a digest' : 'no image uses :latest or an untagged name'),
};
