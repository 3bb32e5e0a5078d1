import type { Deployment, StatefulSet } from '../kube/types';
import type { CheckWorkload } from './types';

/** A Deployment or StatefulSet (live, or a manifest's) as the rules read it, with the API server's defaults. */
export function toWorkload(kind: 'Deployment' | 'StatefulSet', o: Deployment | StatefulSet, namespace: string, file: CheckWorkload['file'] = null): CheckWorkload {
  const rev = Number(o.metadata.annotations?.['deployment.kubernetes.io/revision']);
  return {
    kind, name: o.metadata.name, namespace: o.metadata.namespace ?? namespace, uid: o.metadata.uid ?? null,
    replicas: o.spec.replicas ?? 1,
    revisionHistoryLimit: o.spec.revisionHistoryLimit ?? 10,
    selector: o.spec.selector ?? {},
    template: { ...o.spec.template, spec: { ...o.spec.template?.spec, containers: o.spec.template?.spec?.containers ?? [] } },
    revision: Number.isInteger(rev) && rev > 0 ? rev : null,
    file,
  };
}
