import type { Pod } from './types';

/** The kubelet's waiting reasons for an image it could not get (pkg/kubelet/images/types.go). */
export const PULL_FAILURES: readonly string[] = ['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull'];

/** A container of the pod waits on its image: only then do its imagePullSecrets matter. */
export function pullFailing(pod: Pod): boolean {
  const st = pod.status ?? {};
  return [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])].some((c) => PULL_FAILURES.includes(c.state?.waiting?.reason ?? ''));
}
