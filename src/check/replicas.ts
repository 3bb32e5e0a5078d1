import { kubectlOn, patchOn, verdict } from './fix';
import type { Rule } from './types';

const EMERGENCY = 'dhakacart.io/replicas-before-emergency';

/** One replica is one crash (or one node drain) away from an outage. */
export const replicas: Rule = {
  id: 'replicas',
  title: 'More than one replica',
  check({ workload: w }) {
    if (w.replicas >= 2) return verdict('pass', `${w.replicas} replicas`);
    const before = Number(w.template.metadata?.annotations?.[EMERGENCY]);
    const to = Math.max(2, Number.isInteger(before) ? before : 0);
    const fix = w.file ? patchOn(w, { spec: { replicas: to } }) : kubectlOn(w, 'scale', [`--replicas=${to}`]);
    return verdict('fail', `${w.replicas} replica${w.replicas === 1 ? '' : 's'}: a single crash or node drain takes the service down`, fix);
  },
};
