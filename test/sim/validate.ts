// The few validations the simulator performs on writes, worded like the API server's.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { StatusError, badRequest, invalid } from './errors';
import { QUANTITY_ERROR, parseQuantity } from './quantity';
import { parseLabelSelector, selectorString } from './selectors';
import type { KObj } from './store';

type Cause = { field: string; message: string; type?: string };

function checkQuantities(spec: any, base: string, causes: Cause[]) {
  const all = [...(spec?.initContainers ?? []).map((c: any, i: number) => [c, `${base}.initContainers[${i}]`]),
    ...(spec?.containers ?? []).map((c: any, i: number) => [c, `${base}.containers[${i}]`])] as [any, string][];
  for (const [c, path] of all) {
    for (const kind of ['limits', 'requests'] as const) {
      for (const [res, q] of Object.entries<any>(c?.resources?.[kind] ?? {})) {
        if (parseQuantity(q) === undefined) throw badRequest(QUANTITY_ERROR);
        void res;
      }
    }
    if (!c?.name) causes.push({ field: `${path}.name`, message: 'Required value', type: 'FieldValueRequired' });
    if (!c?.image) causes.push({ field: `${path}.image`, message: 'Required value', type: 'FieldValueRequired' });
    for (const res of ['memory', 'cpu']) {
      const req = c?.resources?.requests?.[res], lim = c?.resources?.limits?.[res];
      if (req !== undefined && lim !== undefined && parseQuantity(req)! > parseQuantity(lim)!) {
        causes.push({ field: `${path}.resources.requests`, message: `Invalid value: "${req}": must be less than or equal to ${res} limit of ${lim}` });
      }
    }
    for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const pr = c?.[p];
      if (!pr) continue;
      for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'failureThreshold', 'successThreshold']) {
        if (pr[f] !== undefined && (typeof pr[f] !== 'number' || pr[f] < 0)) {
          causes.push({ field: `${path}.${p}.${f}`, message: `Invalid value: ${JSON.stringify(pr[f])}: must be greater than or equal to 0` });
        }
      }
    }
  }
  if (spec && (!Array.isArray(spec.containers) || spec.containers.length === 0)) causes.push({ field: `${base}.containers`, message: 'Required value', type: 'FieldValueRequired' });
}

/** Throws a 422 Invalid (or 400 for undecodable quantities) Status when the object is invalid. */
export function validate(key: string, o: KObj): void {
  const causes: Cause[] = [];
  const kind = o.kind ?? '';
  const group = key.includes('.') ? key.slice(key.indexOf('.') + 1) : undefined;
  if (!o.metadata?.name) causes.push({ field: 'metadata.name', message: 'Required value: name or generateName is required', type: 'FieldValueRequired' });
  if (key === 'pods') checkQuantities(o.spec, 'spec', causes);
  if (key === 'deployments.apps' || key === 'replicasets.apps' || key === 'statefulsets.apps') {
    const s = o.spec ?? {};
    if (typeof s.replicas === 'number' && s.replicas < 0) causes.push({ field: 'spec.replicas', message: `Invalid value: ${s.replicas}: must be greater than or equal to 0` });
    checkQuantities(s.template?.spec, 'spec.template.spec', causes);
    const sel = selectorString(s.selector);
    if (!sel) causes.push({ field: 'spec.selector', message: 'Required value', type: 'FieldValueRequired' });
    else if (!parseLabelSelector(sel)(s.template?.metadata?.labels)) {
      causes.push({ field: 'spec.template.metadata.labels', message: `Invalid value: map[string]string{${Object.entries(s.template?.metadata?.labels ?? {}).map(([k, v]) => `"${k}":"${v}"`).join(', ')}}: \`selector\` does not match template \`labels\`` });
    }
  }
  if (causes.length) throw invalid(kind, o.metadata?.name ?? '', group, causes);
}

export function immutableSelector(key: string, before: KObj, after: KObj): void {
  if ((key === 'deployments.apps' || key === 'replicasets.apps' || key === 'statefulsets.apps') && JSON.stringify(before.spec?.selector) !== JSON.stringify(after.spec?.selector)) {
    throw invalid(after.kind ?? '', after.metadata.name!, key.split('.').slice(1).join('.'), [{ field: 'spec.selector', message: `Invalid value: v1.LabelSelector{MatchLabels:map[string]string{${Object.entries(after.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `"${k}":"${v}"`).join(', ')}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable` }]);
  }
}
export { StatusError };
