// Shell completion: the completer (pure, with a fake cluster), `__complete` and
// `completion bash|zsh|fish|install` through the built binary, and kubectl's own plugin
// completion (`kubectl __complete dhakacart ...`, kubectl >= 1.26) through the helper.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { COMMANDS } from '../src/commands/registry';
import { complete, describeCommands, Directive, type Lookup } from '../src/commands/completion/complete';
import { defaultHelperDir } from '../src/commands/completion/run';
import { helperFileName, helperScript, shellScript } from '../src/commands/completion/scripts';
import { addGlobalOptions } from '../src/options';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const bin = path.join(dist, 'kubectl-dhakacart');
const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => fs.existsSync(p));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dhakacart-completion-'));
const model = describeCommands(COMMANDS, (y) => addGlobalOptions(y));

const cluster: Record<string, string[]> = {
  pods: ['dhakacart-backend-abc12-x1', 'dhakacart-frontend-def34-y2', 'postgres-0'],
  deployments: ['dhakacart-backend', 'dhakacart-frontend'],
  namespaces: ['default', 'dhakacart'],
  contexts: ['prod', 'staging'],
};
const seen: { kind: string; conn: unknown }[] = [];
const fake: Lookup = async (kind, conn) => { seen.push({ kind, conn }); return cluster[kind]; };
const down: Lookup = async () => { throw new Error('connection refused'); };
const c = (...args: string[]) => complete(args, model, fake);

test('subcommands at the first word, hidden __complete not among them', async () => {
  const r = await c('');
  assert.equal(r.candidates, ['status', 'why', 'fix', 'rollback', 'emergency', 'check', 'verify', 'report', 'completion']);
  assert.is(r.directive, Directive.noFileComp);
  assert.equal((await c('e')).candidates, ['emergency']);
});

test('fix kinds, emergency actions, completion shells', async () => {
  assert.equal((await c('fix', '')).candidates, ['oom', 'probe', 'image', 'db', 'evicted']);
  assert.equal((await c('fix', 'p')).candidates, ['probe']);
  assert.equal((await c('emergency', '')).candidates, ['stop', 'resume', 'image']);
  assert.equal((await c('completion', '')).candidates, ['bash', 'zsh', 'fish', 'install']);
});

test('pod and deployment names from the cluster for positional targets', async () => {
  assert.equal((await c('why', '')).candidates, cluster.pods);
  assert.equal((await c('fix', 'oom', '')).candidates, ['deployment/dhakacart-backend', 'deployment/dhakacart-frontend', ...cluster.pods]);
  assert.equal((await c('rollback', 'deployment/dhakacart-f')).candidates, ['deployment/dhakacart-frontend']);
  assert.equal((await c('emergency', 'stop', 'post')).candidates, ['postgres-0']);
  assert.equal((await c('verify', 'deployment/dhakacart-f')).candidates, ['deployment/dhakacart-frontend']);
  assert.equal((await c('verify', '--rollback')).candidates, ['--rollback-on-failure']);
  assert.equal((await c('status', '')).candidates, [], 'status takes no positional');
});

test('flags: global and the subcommand\'s, by prefix; values of -o and -n', async () => {
  const f = (await c('fix', 'oom', '--')).candidates;
  for (const x of ['--kubeconfig', '--context', '--namespace', '--output', '--request-timeout', '--dry-run', '--yes', '--no-wait', '--memory', '--container']) assert.ok(f.includes(x), x);
  assert.not.ok(f.includes('--selector'), 'status\'s flag is not fix\'s');
  assert.equal((await c('status', '--w')).candidates, ['--watch']);
  assert.equal((await c('status', '-o', '')).candidates, ['table', 'wide', 'json', 'yaml']);
  assert.equal((await c('check', '-o', '')).candidates, ['table', 'wide', 'json', 'yaml', 'sarif', 'junit']);
  assert.equal((await c('status', '--output=j')).candidates, ['--output=json']);
  assert.equal((await c('why', '-n', '')).candidates, cluster.namespaces);
  assert.equal((await c('status', '--context', '')).candidates, cluster.contexts);
  assert.is((await c('why', '--kubeconfig', '')).directive, Directive.default, 'file completion for --kubeconfig');
});

test('the flags typed so far choose the cluster: --kubeconfig, --context, -n; flag values are not positionals', async () => {
  seen.length = 0;
  assert.equal((await c('why', '--kubeconfig', '/k', '--context', 'prod', '-n', 'shop', '')).candidates, cluster.pods);
  assert.equal(seen, [{ kind: 'pods', conn: { kubeconfig: '/k', context: 'prod', namespace: 'shop' } }]);
  assert.equal((await c('-n', 'x', 'fix', '--memory', '2Gi', '')).candidates, ['oom', 'probe', 'image', 'db', 'evicted']);
  assert.equal((await c('fix', '--yes', '')).candidates, ['oom', 'probe', 'image', 'db', 'evicted'], 'a boolean flag takes no value');
});

test('a cluster error gives no names, only the directive', async () => {
  const r = await complete(['why', ''], model, down);
  assert.equal(r, { candidates: [], directive: Directive.noFileComp });
});

// --- through the binary ---------------------------------------------------------------

const env = { PATH: `${dist}:/usr/bin:/bin`, HOME: tmp, NO_COLOR: '1' };
const run = (cmd: string, args: string[], extra: Record<string, string> = {}) => {
  const r = spawnSync(cmd, args, { env: { ...env, ...extra }, encoding: 'utf8', timeout: 30_000, cwd: tmp });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
};

test('__complete: candidates one per line, then :<directive>; flags among the words with --', () => {
  const r = run(bin, ['__complete', '--', 'status', '-o', '']);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, 'table\nwide\njson\nyaml\n:4\n');
  assert.is(run(bin, ['__complete', 'fix', '']).stdout, 'oom\nprobe\nimage\ndb\nevicted\n:4\n', 'also without --');
});

test('__complete with an unreachable cluster: nothing but the directive, quickly', () => {
  const kc = path.join(tmp, 'kubeconfig');
  fs.writeFileSync(kc, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n');
  const t0 = Date.now();
  const r = run(bin, ['__complete', '--', 'why', ''], { KUBECONFIG: kc });
  assert.is(r.status, 0);
  assert.is(r.stdout, ':4\n');
  assert.is(r.stderr, '');
  assert.ok(Date.now() - t0 < 8000);
  assert.is(run(bin, ['__complete', '--', 'why', ''], { KUBECONFIG: path.join(tmp, 'missing') }).stdout, ':4\n');
});

test('completion bash|zsh|fish print scripts that call __complete; bash\'s completes', () => {
  for (const sh of ['bash', 'zsh', 'fish'] as const) {
    const r = run(bin, ['completion', sh]);
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout, shellScript(sh));
    assert.match(r.stdout, 'kubectl-dhakacart __complete --');
    const shell = ['/usr/bin', '/bin'].map((d) => path.join(d, sh)).find((p) => fs.existsSync(p));
    if (shell) {
      const n = spawnSync(shell, ['-n'], { input: r.stdout, encoding: 'utf8' });
      assert.is(n.status, 0, `${sh} -n: ${n.stderr}`);
    }
  }
  const script = path.join(tmp, 'c.bash');
  fs.writeFileSync(script, shellScript('bash'));
  const b = run('bash', ['-c', `source ${script}; COMP_WORDS=(kubectl-dhakacart emergency r); COMP_CWORD=2; _kubectl_dhakacart; echo "\${COMPREPLY[*]}"; complete -p kubectl-dhakacart`]);
  assert.is(b.status, 0, b.stderr);
  assert.is(b.stdout, 'resume\ncomplete -F _kubectl_dhakacart kubectl-dhakacart\n');
});

test('completion install --dir: the helper shim (0755), on Windows a .cmd', () => {
  const dir = path.join(tmp, 'helper-bin');
  fs.mkdirSync(dir);
  const r = run(bin, ['completion', 'install', '--dir', dir], { PATH: `${dist}:${dir}:/usr/bin:/bin` });
  assert.is(r.status, 0, r.stderr);
  const helper = path.join(dir, 'kubectl_complete-dhakacart');
  assert.is(r.stdout, `wrote ${helper}\n`);
  assert.is(fs.statSync(helper).mode & 0o777, 0o755);
  assert.is(fs.readFileSync(helper, 'utf8'), helperScript('linux'));
  assert.match(helperScript('linux'), /^#!\/bin\/sh\n(#.*\n)*exec kubectl-dhakacart __complete -- "\$@"\n$/);
  assert.is(helperFileName('win32'), 'kubectl_complete-dhakacart.cmd');
  assert.match(helperScript('win32'), /kubectl-dhakacart\.exe __complete -- %\*\r\n$/);
  const again = run(bin, ['completion', 'install', '--dir', dir]);
  assert.is(again.status, 0, 'idempotent');
  assert.match(again.stderr, /not on PATH/);
  assert.is(run(bin, ['completion', 'install', '--dir', path.join(tmp, 'nope')]).status, 2);
});

test('default helper dir: where kubectl ran the plugin from (argv[0]), else PATH, else the executable\'s dir', () => {
  assert.is(defaultHelperDir({}, '/home/u/.krew/bin/kubectl-dhakacart', '/home/u/.krew/store/dhakacart/v0.1.0/kubectl-dhakacart'), '/home/u/.krew/bin');
  assert.is(defaultHelperDir({ PATH: `/nonexistent:${dist}` }, 'kubectl-dhakacart', '/x/y'), dist);
  assert.is(defaultHelperDir({ PATH: '/nonexistent' }, 'kubectl-dhakacart', '/x/y/kubectl-dhakacart'), '/x/y');
});

(kubectl ? test : test.skip)('kubectl __complete dhakacart \'\': kubectl finds the helper on PATH and lists the subcommands', () => {
  const dir = path.join(tmp, 'helper-bin');
  const r = run(kubectl!, ['__complete', 'dhakacart', ''], { PATH: `${dist}:${dir}:${path.dirname(kubectl!)}` });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, 'status\nwhy\nfix\nrollback\nemergency\ncheck\nverify\nreport\ncompletion\n:4\n');
  const f = run(kubectl!, ['__complete', 'dhakacart', 'fix', 'oom', '--dry'], { PATH: `${dist}:${dir}:${path.dirname(kubectl!)}` });
  assert.is(f.stdout, '--dry-run\n:4\n');
  const o = run(kubectl!, ['__complete', 'dhakacart', 'status', '-o', ''], { PATH: `${dist}:${dir}:${path.dirname(kubectl!)}` });
  assert.is(o.stdout, 'table\nwide\njson\nyaml\n:4\n', 'flags reach the plugin, not kubectl');
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
