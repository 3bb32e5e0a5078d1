// The seam for controllers: a list of reconcile functions run after every write made
// through the API (not after the controllers' own writes, and not on scenario load: the
// objects start as the scenario says). Each one reads and writes the store directly and
// must be idempotent: it runs again until nothing changes (bounded).
import type { SimSettings } from '../settings';
import type { Store } from '../store';
import { garbageCollector } from './gc';
import { deploymentController } from './deployment';
import { endpointsController } from './endpoints';

export interface ControllerContext { store: Store; settings: SimSettings }
/** Returns true when it changed something. */
export type Reconciler = (ctx: ControllerContext) => boolean;

/** Deployments → ReplicaSets → pods (one pass settles a rollout), Endpoints, then garbage collection. */
export const DEFAULT_CONTROLLERS: Reconciler[] = [deploymentController, endpointsController, garbageCollector];

export function runControllers(ctx: ControllerContext, reconcilers: Reconciler[], maxRounds = 10): void {
  for (let i = 0; i < maxRounds; i++) {
    let changed = false;
    for (const r of reconcilers) changed = r(ctx) || changed;
    if (!changed) return;
  }
}
