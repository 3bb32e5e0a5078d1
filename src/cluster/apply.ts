import { ApiError, type KubeApi } from './api';
import { paths } from './paths';
import type { Deployment } from '../kube/types';
import type { Patch } from '../kube/patch';

const CONTENT_TYPE = { strategic: 'application/strategic-merge-patch+json', json: 'application/json-patch+json' } as const;

export { isOutcomeUnknown } from './api';

export const isConflict = (e: unknown) => e instanceof ApiError && e.code === 409;

/**
 * Sends a plan's patch with the resourceVersion it was planned against as a precondition:
 * if the Deployment changed in between, the server answers 409 and the caller replans.
 */
export async function patchDeployment(api: KubeApi, ns: string, name: string, patch: Patch, resourceVersion: string | undefined, dryRun: boolean): Promise<Deployment> {
  const body = patch.type === 'json'
    ? [...(resourceVersion ? [{ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion }] : []), ...patch.body]
    : { ...patch.body, metadata: { ...(patch.body.metadata as object | undefined), ...(resourceVersion ? { resourceVersion } : {}) } };
  const text = await api.raw('PATCH', paths.deployment(ns, name), {
    body: JSON.stringify(body),
    contentType: CONTENT_TYPE[patch.type],
    query: { dryRun: dryRun ? 'All' : undefined, fieldManager: 'kubectl-dhakacart' },
    changesNothing: dryRun,
  });
  return JSON.parse(text) as Deployment;
}
