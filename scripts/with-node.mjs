// Runs a script under the pinned Node runtime (see node-dist.mjs): `node scripts/with-node.mjs FILE ARGS`.
import { spawnSync } from 'node:child_process';
import { nodeBinary } from './node-dist.mjs';

const r = spawnSync(nodeBinary(), process.argv.slice(2), { stdio: 'inherit' });
process.exit(r.status ?? 1);
