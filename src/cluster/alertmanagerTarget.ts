/**
 * Where `why --alert` reads alerts: an Alertmanager URL, or a Service reached through the
 * API server's service proxy (Alertmanager in the cluster, no port-forward needed). Pure and
 * cheap: the flag is checked with it before anything is loaded or sent.
 */
export type AlertmanagerTarget =
  | { kind: 'url'; url: URL }
  | { kind: 'service'; namespace: string; name: string; port: string };

/** The prometheus-operator's governing Service of every Alertmanager (kube-prometheus-stack's too). */
export const DEFAULT_ALERTMANAGER = 'service/monitoring/alertmanager-operated:9093';
export const DEFAULT_ALERTNAME = 'DhakaCartPodCrashLooping';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SERVICE = /^(?:service|svc)\/([^/]+)\/([^/:]+)(?::([^:/]+))?$/;

/** A URL (http/https) or `service/NAMESPACE/NAME[:PORT]` (PORT a number or a port name, default 9093); null when neither. */
export function parseAlertmanagerTarget(text: string): AlertmanagerTarget | null {
  const m = SERVICE.exec(text);
  if (m) {
    const port = m[3] ?? '9093';
    if (!LABEL.test(m[1]!) || !LABEL.test(m[2]!) || !(/^\d{1,5}$/.test(port) || LABEL.test(port))) return null;
    return { kind: 'service', namespace: m[1]!, name: m[2]!, port };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? { kind: 'url', url } : null;
}

/** How the target is named in messages: a URL without its user and password. */
export function describeTarget(t: AlertmanagerTarget): string {
  if (t.kind === 'service') return `service ${t.namespace}/${t.name}:${t.port} (through the API server)`;
  return `${t.url.origin}${t.url.pathname.replace(/\/+$/, '')}`;
}
