import { containerLabel, waitingReason, type Finder, type Rule } from '../context';
import type { Evidence } from '../diagnosis';
import { eventEvidence, newest, withReason } from '../events';
import { waitingEvidence } from '../evidence';

const PULL_FAILURES = ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull'];

const REGISTRY_REASONS: [RegExp, string][] = [
  [/not found|manifest unknown|no such manifest|does not exist/i, 'the tag or repository does not exist'],
  [/unauthorized|denied|authentication required|forbidden|\b40[13]\b/i, 'the registry refused access (unauthorized/denied)'],
  [/toomanyrequests|rate limit/i, 'the registry rate limit was hit'],
  [/no such host|i\/o timeout|connection refused|dial tcp|TLS handshake timeout/i, 'the registry is unreachable from the node'],
  [/couldn't parse image|invalid reference format/i, 'the image name is invalid'],
  [/not present with pull policy of Never/i, 'the image is not on the node and imagePullPolicy is Never'],
];

export const registryReason = (text: string): string | null => REGISTRY_REASONS.find(([re]) => re.test(text))?.[1] ?? null;

/** The pull failing is a status fact (confirmed); the registry's reason comes from the Failed event or the waiting message. */
const findImage: Finder = (ctx) => {
  const reason = waitingReason(ctx);
  if (!reason || !PULL_FAILURES.includes(reason)) return null;
  const image = ctx.focus.spec.image ?? ctx.focus.status?.image ?? '?';
  const failed = newest(withReason(ctx.events, 'Failed', 'InspectFailed', 'ErrImageNeverPull').filter((e) => !/^Error: \w+$/.test(e.message ?? '')));
  const why = registryReason(`${failed?.message ?? ''} ${ctx.focus.status?.state?.waiting?.message ?? ''}`)
    ?? (reason === 'InvalidImageName' ? 'the image name is invalid' : null);

  const evidence: Evidence[] = [...waitingEvidence(ctx), { source: 'spec', detail: `image of ${ctx.focus.name}: ${image}`, at: null }];
  if (failed) evidence.push(eventEvidence(failed, ctx.now));
  const backoff = newest(withReason(ctx.events, 'BackOff').filter((e) => /pulling image/i.test(e.message ?? '')));
  if (backoff) evidence.push(eventEvidence(backoff, ctx.now));

  const pullSecrets = (ctx.pod.spec.imagePullSecrets ?? []).map((s) => s.name);
  const missing: string[] = [];
  for (const name of pullSecrets) {
    const ref = ctx.references.find((r) => r.kind === 'Secret' && r.name === name);
    if (ref?.exists === false) missing.push(name);
    const state = !ref || ref.exists === null ? 'could not be read' : ref.exists ? 'exists' : 'does NOT exist';
    evidence.push({ source: 'secret', detail: `imagePullSecret ${name} ${state}`, at: null });
  }
  const denied = why?.startsWith('the registry refused');
  if (denied && !pullSecrets.length) evidence.push({ source: 'spec', detail: 'the pod names no imagePullSecrets: a private registry gets an anonymous pull', at: null });

  const secretText = missing.length ? ` The imagePullSecret${missing.length > 1 ? 's' : ''} ${missing.join(', ')} named by the pod do${missing.length > 1 ? '' : 'es'} not exist.` : '';
  return {
    cause: 'image',
    confidence: 'confirmed',
    summary: `Image ${image} of ${containerLabel(ctx)} cannot be pulled${why ? `: ${why}` : ''} (${reason}).${secretText}`,
    evidence,
    hint: { kind: 'image', missingPullSecrets: missing, registryReason: why },
  };
};

/** The waiting reason decides; events and pull Secrets only refine the reason and the fix. */
export const imageRule: Rule = { cause: 'image', find: findImage, dependsOn: () => [] };
