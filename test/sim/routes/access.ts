// Who may do what: the scenario's `deny` list, checked on every request and answered by
// SelfSubjectAccessReview (authorization.k8s.io).
import { invalid } from '../errors';
import type { SimSettings } from '../settings';
import { json, readBody, type SimRequest, type SimResponse } from './http';

/** Whether the scenario's user may do this (scenario `deny` list). */
export function allowed(settings: SimSettings, verb: string, resource: string, sub: string | undefined, group: string, namespace: string | undefined, name: string | undefined): boolean {
  return !settings.deny.some((d) =>
    (d.verb === '*' || d.verb === verb)
    && (d.resource === '*' || d.resource === (sub ? `${resource}/${sub}` : resource))
    && (d.group === undefined || d.group === '*' || d.group === group)
    && (!d.namespace || d.namespace === namespace)
    && (!d.name || d.name === name));
}

export function accessReview(settings: SimSettings, r: SimRequest): SimResponse {
  const body = readBody(r);
  const a = body?.spec?.resourceAttributes;
  const nra = body?.spec?.nonResourceAttributes;
  if (!a && !nra) {
    throw invalid('SelfSubjectAccessReview', '', 'authorization.k8s.io', [{ field: 'spec.resourceAttributes', message: 'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified' }]);
  }
  const ok = a ? allowed(settings, a.verb ?? '', a.resource ?? '', a.subresource || undefined, a.group ?? '', a.namespace || undefined, a.name || undefined) : true;
  const status: Record<string, unknown> = { allowed: ok };
  if (ok) status.reason = `RBAC: allowed by RoleBinding "oncall/${a?.namespace ?? 'cluster'}" of Role "oncall" to User "${settings.user}"`;
  return json(201, { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: body.spec, status });
}
