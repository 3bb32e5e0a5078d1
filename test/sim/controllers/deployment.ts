// Deployment controller placeholder (a later issue fills it in): new ReplicaSet per
// pod-template change with deployment.kubernetes.io/revision, reuse of an identical old
// RS, status conditions, scale, pods that become healthy or keep failing per scenario rules.
import type { ControllerContext } from './index';

export function deploymentController(_ctx: ControllerContext): boolean {
  return false;
}
