/**
 * The command as typed, for kubernetes.io/change-cause, which anyone who can read the
 * Deployment sees. How the user reached the cluster is not part of what changed and can be
 * a credential (--token) or a local path (--kubeconfig), so those flags and their values are
 * left out; every other argument is a flag or a name and is recorded verbatim.
 */
import { shellQuote } from '../kube/shell';

const CONNECTION_WITH_VALUE = new Set(['kubeconfig', 'cluster', 'user', 'server', 's', 'token', 'as', 'as-group', 'certificate-authority', 'tls-server-name']);
const CONNECTION_SWITCH = new Set(['insecure-skip-tls-verify', 'debug']);

function withoutConnectionFlags(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?([\w-]+)(=.*)?$/.exec(argv[i]!);
    const name = m?.[1] ?? '';
    if (CONNECTION_SWITCH.has(name)) continue;
    if (CONNECTION_WITH_VALUE.has(name)) {
      if (m?.[2] === undefined) i++;
      continue;
    }
    out.push(argv[i]!);
  }
  return out;
}

export function commandLine(argv: string[] = process.argv.slice(2)): string {
  return ['kubectl', 'dhakacart', ...withoutConnectionFlags(argv).map(shellQuote)].join(' ');
}
