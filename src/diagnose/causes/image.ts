import { PULL_FAILURES } from '../../kube/imagePull';
import { imageRepository, previousImage } from '../../remedy/image';
import { containerLabel, waitingReason, type RuleContext } from '../context';
import type { Evidence, Fix } from '../diagnosis';
import { eventEvidence, newest, withReason } from '../events';
import { waitingEvidence } from '../evidence';
import type { FixKit } from '../fixKit';
import { defineCause, type CauseModule, type Found } from './cause';

interface ImageHint { missingPullSecrets: string[] }

const REGISTRY_REASONS: [RegExp, string][] = [
  [/not found|manifest unknown|no such manifest|does not exist/i, 'the tag or repository does not exist'],
  [/unauthorized|denied|authentication required|forbidden|\b40[13]\b/i, 'the registry refused access (unauthorized/denied)'],
  [/toomanyrequests|rate limit/i, 'the registry rate limit was hit'],
  [/no such host|i\/o timeout|connection refused|dial tcp|TLS handshake timeout/i, 'the registry is unreachable from the node'],
  [/couldn't parse image|invalid reference format/i, 'the image name is invalid'],
  [/not present with pull policy of Never/i, 'the image is not on the node and imagePullPolicy is Never'],
];

const registryReason = (text: string): string | null => REGISTRY_REASONS.find(([re]) => re.test(text))?.[1] ?? null;

/** The pull failing is a status fact (confirmed); the registry's reason comes from the Failed event or the waiting message. */
function findImage(ctx: RuleContext): Found<'image', ImageHint> | null {
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
    hint: { missingPullSecrets: missing },
  };
}

/** The registry host of an image reference, as `docker login` names it. */
function registryOf(image: string): string {
  const first = image.split('/')[0]!;
  return image.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'https://index.docker.io/v1/';
}

/** A missing pull Secret is created (by a human: it holds a credential); otherwise the image goes back to the one that ran. */
function imageFix(k: FixKit, missingPullSecrets: string[]): Fix | null {
  const current = k.ctx.focus.spec.image ?? '';
  if (missingPullSecrets.length) {
    return {
      command: `# create the missing imagePullSecret${missingPullSecrets.length > 1 ? 's' : ''} (kubectl dhakacart does not create Secrets); the kubelet retries the pull on its own`,
      kubectl: missingPullSecrets.map((s) => `kubectl create secret docker-registry ${s} ${k.ns} --docker-server=${registryOf(current)} --docker-username=USER --docker-password=PASSWORD`),
    };
  }
  if (k.ctx.focus.init) return null;
  const prev = k.w.kind === 'deployment' ? previousImage(k.w.asDeployment, k.ctx.owner.history, k.ctx.focus.name, current) : null;
  const to = prev?.image ?? `${imageRepository(current)}:TAG`;
  k.changes = [{ path: `spec.template.spec.containers[${k.ctx.focus.name}].image`, from: current, to }];
  return {
    command: k.plugin('fix image', `${k.containerFlag()} --to ${to}`),
    kubectl: [`kubectl set image ${k.ref} ${k.ctx.focus.name}=${to} ${k.ns}`],
  };
}

/** The waiting reason decides; events and pull Secrets only refine the reason and the fix. */
export const image: CauseModule<'image'> = defineCause({
  cause: 'image',
  fixCommand: 'fix image',
  find: findImage,
  dependsOn: () => [],
  fix: (k, f) => imageFix(k, f.hint?.missingPullSecrets ?? []),
});
