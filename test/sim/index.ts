// The simulated Kubernetes API server: startSim({scenario}) → {url, kubeconfig, token, store, requests, close}.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CONTROLLERS, type Reconciler } from './controllers/index';
import { writeKubeconfig } from './kubeconfig';
import { loadScenario, type Scenario } from './scenario';
import { SimServer, type Fault, type RequestRecord } from './server';
import type { SimSettings } from './settings';
import { Store } from './store';
import { simTls, type SimTls } from './tls';
import { resourceForKind, storageKey } from './resources';
import { startAlertmanager, type AlertmanagerOptions, type SimAlertmanager } from './alertmanager';

export type { Fault, RequestRecord } from './server';
export type { KObj } from './store';
export { Store } from './store';
export { writeKubeconfig, type KubeconfigEntry } from './kubeconfig';
export { loadScenario, listScenarios, type Scenario } from './scenario';
export type { SimSettings, ProxyAnswer, Denial, PodRule } from './settings';
export { startAlertmanager, type AlertmanagerOptions, type SimAlert, type SimAlertmanager } from './alertmanager';

export interface SimOptions {
  /** Name of a file in test/sim/scenarios (without .yaml), or a scenario built in code (manifests.ts). */
  scenario: string | Scenario;
  latencyMs?: number;
  faults?: Fault[];
  token?: string;
  /** Override scenario settings (e.g. { metrics: false, deny: [...] }). */
  settings?: Partial<SimSettings>;
  /** Controllers run after every API write (default: DEFAULT_CONTROLLERS). */
  controllers?: Reconciler[];
  /** Fixed port (default 0 = any free port). */
  port?: number;
  /** Interval of watch BOOKMARK events when allowWatchBookmarks is set (default 15 s). */
  bookmarkIntervalMs?: number;
  /** A CA and server certificate of its own (tls.ts newSimTls); default: the one shared by the process. */
  tls?: SimTls;
  /** Also start an Alertmanager (API v2, its own loopback HTTP port) serving these alerts. */
  alertmanager?: AlertmanagerOptions;
}

export interface Sim {
  url: string;
  /** Path of a temp kubeconfig: context "sim" (namespace dhakacart), CA data, bearer token. */
  kubeconfig: string;
  token: string;
  /** The CA certificate (PEM) the server's certificate chains to. */
  caCert: string;
  store: Store;
  requests: RequestRecord[];
  scenario: Scenario;
  settings: SimSettings;
  /** Mutable at run time: later requests see the change. */
  faults: Fault[];
  setLatency(ms: number): void;
  /** Present when started with `alertmanager`. */
  alertmanager?: SimAlertmanager;
  close(): Promise<void>;
}

/** Put the scenario's objects into a fresh store. */
export function storeFromScenario(s: Scenario): Store {
  const store = new Store();
  for (const o of s.objects) {
    const def = resourceForKind(o.apiVersion ?? 'v1', o.kind ?? '');
    if (!def) throw new Error(`scenario ${s.name}: no served resource for ${o.apiVersion} ${o.kind} ${o.metadata?.name}`);
    store.create(storageKey(def), o);
  }
  return store;
}

export async function startSim(opts: SimOptions): Promise<Sim> {
  const scenario = typeof opts.scenario === 'string' ? loadScenario(opts.scenario) : opts.scenario;
  const settings: SimSettings = { ...scenario.settings, ...(opts.settings ?? {}) };
  const store = storeFromScenario(scenario);
  const token = opts.token ?? randomBytes(16).toString('hex');
  const faults = opts.faults ?? [];
  const serverOpts = { token, latencyMs: opts.latencyMs ?? 0, faults, controllers: opts.controllers ?? DEFAULT_CONTROLLERS, bookmarkIntervalMs: opts.bookmarkIntervalMs, tls: opts.tls };
  const server = new SimServer(store, settings, serverOpts);
  const url = await server.listen(opts.port ?? 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-sim-'));
  const caCert = (opts.tls ?? simTls()).caCert;
  const alertmanager = opts.alertmanager ? await startAlertmanager(opts.alertmanager) : undefined;
  const amService = opts.alertmanager?.service;
  if (alertmanager && amService) {
    store.create('services', {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: amService.name, namespace: amService.namespace, labels: { 'operated-alertmanager': 'true' } },
      spec: { clusterIP: 'None', ports: [{ name: 'web', port: amService.port, protocol: 'TCP', targetPort: 'web' }], selector: { 'app.kubernetes.io/name': 'alertmanager' } },
    });
    settings.serviceProxy = [...(settings.serviceProxy ?? []), { ...amService, url: alertmanager.url }];
  }
  const kubeconfig = writeKubeconfig(path.join(dir, 'config'), { server: url, caCert, token, context: 'sim', namespace: 'dhakacart' });
  let closed = false;
  return {
    url, kubeconfig, token, caCert, store, requests: server.requests, scenario, settings, faults, alertmanager,
    setLatency: (ms) => { serverOpts.latencyMs = ms; },
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all([server.close(), alertmanager?.close()]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
