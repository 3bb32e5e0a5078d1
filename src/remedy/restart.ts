import type { Deployment } from '../kube/types';
import { templateMetadataChange, type Plan } from './plan';

/** `kubectl rollout restart`: a template annotation that changes, so every pod is replaced (fix db, once the database answers). */
export function planRestart(dep: Deployment, now: Date, action: string): Plan {
  const key = 'kubectl.kubernetes.io/restartedAt';
  const at = now.toISOString();
  return {
    action,
    deployment: dep.metadata.name,
    changes: [{ path: `spec.template.metadata.annotations[${key}]`, from: dep.spec.template.metadata?.annotations?.[key] ?? null, to: at }],
    ...templateMetadataChange(dep, { annotations: { [key]: at } }),
    warnings: [],
    rollout: true,
    noop: null,
  };
}
