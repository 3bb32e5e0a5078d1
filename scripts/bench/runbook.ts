// The runbook's read-only kubectl commands for one failing pod, in the order an on-call
// engineer types them: what `why POD` replaces.
export function runbook(ns: string, pod: string): string[][] {
  return [
    ['get', 'pods', '-n', ns, '-l', 'app=dhakacart-backend'],
    ['get', 'pods', '-n', ns, '-l', 'app=dhakacart-frontend'],
    ['get', 'pods', '-n', ns, '--field-selector=status.phase!=Running'],
    ['logs', '-n', ns, pod, '--previous'],
    ['logs', '-n', ns, pod, '--tail=50'],
    ['describe', 'pod', pod, '-n', ns],
    ['describe', 'nodes'],
    ['get', 'deployment', 'dhakacart-backend', '-n', ns, '-o', 'yaml'],
    ['rollout', 'history', 'deployment/dhakacart-backend', '-n', ns],
    ['get', 'secrets', '-n', ns],
    ['get', 'configmaps', '-n', ns],
    ['get', 'svc', '-n', ns],
    ['get', 'pods', '-n', ns, '-l', 'app=postgres'],
  ];
}
