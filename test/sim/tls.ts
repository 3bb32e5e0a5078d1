// A throw-away CA and a server certificate for 127.0.0.1 / localhost, made with openssl
// into a temp dir (removed at exit). EC P-256 keys keep it fast. simTls() is one pair per
// process, shared by every simulator; newSimTls() a pair of its own (a fleet's clusters
// each trust only their own CA, so a kubeconfig that mixes them up fails TLS).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SimTls { caCert: string; cert: string; key: string; dir: string }

let cached: SimTls | undefined;
const dirs: string[] = [];
// One handler for all: a listener per fleet cluster would pass Node's limit of ten.
process.once('exit', () => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

export function simTls(): SimTls {
  return (cached ??= newSimTls());
}

export function newSimTls(): SimTls {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-sim-tls-'));
  dirs.push(dir);
  const f = (n: string) => path.join(dir, n);
  const ossl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'),
    '-days', '2', '-subj', '/CN=dhakacart-sim-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'),
    '-subj', '/CN=kube-apiserver']);
  fs.writeFileSync(f('ext.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ossl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'),
    '-days', '2', '-extfile', f('ext.cnf')]);
  return { dir, caCert: fs.readFileSync(f('ca.crt'), 'utf8'), cert: fs.readFileSync(f('server.crt'), 'utf8'), key: fs.readFileSync(f('server.key'), 'utf8') };
}
