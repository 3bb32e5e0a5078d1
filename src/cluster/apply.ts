import { ApiError, paths, type KubeApi } from './api';
import { CliError } from '../errors';
import type { Deployment } from '../kube/types';
import type { Patch } from '../remedy/plan';

const CONTENT_TYPE = { strategic: 'application/strategic-merge-patch+json', json: 'application/json-patch+json' } as const;

export const isConflict = (e: unknown) => e instanceof ApiError && e.code === 409;

/**
 * A write whose outcome is unknown: no HTTP status came back (reset, timeout) or a 5xx
 * did, so the server may have applied it before the reply was lost. The only place that
 * decides this; when the transport marks such failures itself, point this at its flag.
 */
export function isOutcomeUnknown(e: unknown): boolean {
  if (e instanceof ApiError) return e.code >= 500;
  return e instanceof CliError && e.kind === 'cluster' && /^(cannot reach the API server|the API server .* did not answer)/.test(e.message);
}

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
  });
  return JSON.parse(text) as Deployment;
}
