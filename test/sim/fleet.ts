// Several simulated clusters at once, for the fleet mode (--context a,b, --all-contexts):
// startFleet({clusters}) → each cluster its own SimServer, CA and token, all in one merged
// kubeconfig (and each in a file of its own, for KUBECONFIG=a:b), close() for all.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startSim, type Fault, type Sim } from './index';
import { writeKubeconfig } from './kubeconfig';
import type { Scenario } from './scenario';
import type { SimSettings } from './settings';
import { newSimTls } from './tls';

export interface FleetCluster {
  /** The context (and cluster and user) name in the kubeconfig. */
  name: string;
  scenario?: string | Scenario;
  latencyMs?: number;
  faults?: Fault[];
  settings?: Partial<SimSettings>;
  /** No server: a loopback port nothing listens on (connection refused). */
  unreachable?: boolean;
  /** A loopback listener that accepts connections and never answers, not even the TLS handshake. */
  hang?: boolean;
  /** A real simulator, but the kubeconfig carries a token it does not know (401). */
  badToken?: boolean;
}

export interface FleetMember {
  name: string;
  url: string;
  /** The simulator, for a cluster that has one (not for unreachable or hang). */
  sim: Sim | null;
  /** A kubeconfig with this cluster alone (its context is current there). */
  kubeconfig: string;
}

export interface Fleet {
  /** Every cluster's context in one file; the first cluster's is current. */
  kubeconfig: string;
  members: FleetMember[];
  sim(name: string): Sim;
  close(): Promise<void>;
}

/** A loopback port with no listener: bound once to learn a free port, then let go. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Accepts and holds every connection, says nothing: a cluster that hangs. */
async function silentListener(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const s = net.createServer((c) => { sockets.add(c); c.on('close', () => sockets.delete(c)); c.on('error', () => {}); });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return {
    port: (s.address() as net.AddressInfo).port,
    close: async () => { for (const c of sockets) c.destroy(); await new Promise<void>((resolve) => s.close(() => resolve())); },
  };
}

export async function startFleet(opts: { clusters: FleetCluster[]; namespace?: string }): Promise<Fleet> {
  const names = opts.clusters.map((c) => c.name);
  if (new Set(names).size !== names.length) throw new Error(`startFleet: cluster names repeat: ${names.join(', ')}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-fleet-'));
  const closers: (() => Promise<void>)[] = [];
  const namespace = opts.namespace ?? 'dhakacart';
  const merged = path.join(dir, 'config');
  const closeAll = async () => {
    await Promise.all(closers.map((c) => c()));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const members = await Promise.all(opts.clusters.map(async (c): Promise<FleetMember & { caCert: string; token: string }> => {
      const tls = newSimTls();
      if (c.unreachable || c.hang) {
        const listener = c.hang ? await silentListener() : null;
        if (listener) closers.push(listener.close);
        const port = listener?.port ?? await closedPort();
        return { name: c.name, url: `https://127.0.0.1:${port}`, sim: null, kubeconfig: '', caCert: tls.caCert, token: randomBytes(16).toString('hex') };
      }
      const sim = await startSim({ scenario: c.scenario ?? 'healthy', latencyMs: c.latencyMs, faults: c.faults, settings: c.settings, tls });
      closers.push(() => sim.close());
      return { name: c.name, url: sim.url, sim, kubeconfig: '', caCert: sim.caCert, token: c.badToken ? randomBytes(16).toString('hex') : sim.token };
    }));
    members.forEach((m, i) => {
      const entry = { server: m.url, caCert: m.caCert, token: m.token, context: m.name, namespace };
      writeKubeconfig(merged, { ...entry, current: i === 0 }, { merge: true });
      m.kubeconfig = writeKubeconfig(path.join(dir, `${m.name}.yaml`), entry);
    });
    return {
      kubeconfig: merged,
      members: members.map(({ caCert: _c, token: _t, ...m }) => m),
      sim: (name) => {
        const s = members.find((m) => m.name === name)?.sim;
        if (!s) throw new Error(`fleet: no simulator named ${name}`);
        return s;
      },
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
