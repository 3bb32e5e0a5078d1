// A throw-away CA and a server certificate for 127.0.0.1 / localhost, made with openssl
// once per process into a temp dir (removed at exit). EC P-256 keys keep it fast.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SimTls { caCert: string; cert: string; key: string; dir: string }

let cached: SimTls | undefined;

export function simTls(): SimTls {
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-sim-tls-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const f = (n: string) => path.join(dir, n);
  const ossl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  ossl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'),
    '-days', '2', '-subj', '/CN=dhakacart-sim-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  ossl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'),
    '-subj', '/CN=kube-apiserver']);
  fs.writeFileSync(f('ext.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ossl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'),
    '-days', '2', '-extfile', f('ext.cnf')]);
  cached = { dir, caCert: fs.readFileSync(f('ca.crt'), 'utf8'), cert: fs.readFileSync(f('server.crt'), 'utf8'), key: fs.readFileSync(f('server.key'), 'utf8') };
  return cached;
}
