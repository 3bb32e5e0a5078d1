import { clusterError } from '../errors';
import type { KubeApi } from './api';

export interface AccessCheck { verb: string; group: string; resource: string; subresource?: string; name?: string }

interface Review { status?: { allowed?: boolean; denied?: boolean; reason?: string } }

/**
 * Asks the API server (SelfSubjectAccessReview) whether each write is allowed before any
 * is attempted, so a partial change never happens for lack of a permission.
 */
export async function assertAllowed(api: KubeApi, namespace: string, checks: AccessCheck[]): Promise<void> {
  const results = await Promise.all(checks.map(async (c) => {
    const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace, ...c } } };
    const r = JSON.parse(await api.raw('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body: JSON.stringify(body) })) as Review;
    return { c, allowed: !!r.status?.allowed, reason: r.status?.reason };
  }));
  const denied = results.filter((r) => !r.allowed);
  if (denied.length) {
    const what = denied.map(({ c }) => `${c.verb} ${c.group ? `${c.resource}.${c.group}` : c.resource}${c.subresource ? `/${c.subresource}` : ''}${c.name ? ` ${c.name}` : ''}`).join(', ');
    throw clusterError(`context "${api.ctx.context}" may not ${what} in namespace "${namespace}"`,
      `ask for an RBAC Role granting that, or use a context that has it; nothing was changed`);
  }
}
