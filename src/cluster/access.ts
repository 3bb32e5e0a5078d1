import { clusterError } from '../errors';
import { ApiError, type KubeApi } from './api';
import { paths } from './paths';

export interface AccessCheck { verb: string; group: string; resource: string; subresource?: string; name?: string }

interface Review { status?: { allowed?: boolean; denied?: boolean; reason?: string } }

const forbidden = (e: unknown) => e instanceof ApiError && e.code === 403;

const describe = (c: AccessCheck) => `${c.verb} ${c.group ? `${c.resource}.${c.group}` : c.resource}${c.subresource ? `/${c.subresource}` : ''}${c.name ? ` ${c.name}` : ''}`;

async function review(api: KubeApi, namespace: string, c: AccessCheck): Promise<boolean> {
  const body = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace, ...c } } };
  const r = JSON.parse(await api.raw('POST', paths.accessReviews(), { body: JSON.stringify(body), changesNothing: true })) as Review;
  return !!r.status?.allowed;
}

/**
 * Asks the API server (SelfSubjectAccessReview) whether each write is allowed before any
 * is attempted, so a partial change never happens for lack of a permission. Some roles
 * may not create access reviews at all; then `dryRun` (a server-side dry run of the same
 * writes) answers instead, since the server authorizes a dry run like the real write.
 */
export async function assertAllowed(api: KubeApi, namespace: string, checks: AccessCheck[], dryRun: () => Promise<unknown>): Promise<void> {
  let denied: AccessCheck[];
  try {
    const allowed = await Promise.all(checks.map((c) => review(api, namespace, c)));
    denied = checks.filter((_, i) => !allowed[i]);
  } catch (e) {
    if (!forbidden(e)) throw e;
    try {
      await dryRun();
      denied = [];
    } catch (d) {
      if (!forbidden(d)) throw d;
      denied = checks;
    }
  }
  if (denied.length) {
    throw clusterError(`context "${api.ctx.context}" may not ${denied.map(describe).join(', ')} in namespace "${namespace}"`,
      `ask for an RBAC Role granting that, or use a context that has it; nothing was changed`);
  }
}
