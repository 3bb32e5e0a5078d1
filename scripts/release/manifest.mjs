// The krew manifest: rendered from the krew-release-bot template .krew.yaml (the one
// source of the manifest's text), and validated against every rule krew enforces
// (internal/index/validation, cmd/validate-krew-manifest, the downloader and installer)
// plus the project's own stricter rules (docs: shared/notes/distribution.md §1.2, §6).
// validateManifest returns a list of problems, each starting with its rule id, e.g.
// "[sha256] platform linux/amd64: ..."; an empty list means valid.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { readTar, readZip } from './archive.mjs';
import { PLUGIN, REPO_URL, TARGETS, archiveName, binName, releaseUri, splitTarget } from './targets.mjs';

export const API_VERSION = 'krew.googlecontainertools.github.com/v1alpha2';

/** (os, arch) pairs krew-index CI installs for (cmd/validate-krew-manifest). */
export const KREW_PLATFORMS = [
  ['windows', '386'], ['windows', 'amd64'], ['windows', 'arm64'],
  ['linux', '386'], ['linux', 'amd64'], ['linux', 'arm'], ['linux', 'arm64'], ['linux', 'ppc64le'],
  ['darwin', '386'], ['darwin', 'amd64'], ['darwin', 'arm64'],
].map(([os, arch]) => ({ os, arch }));

export const LICENSE_NAMES = ['license', 'license.txt', 'license.md', 'licenses', 'licenses.txt', 'licenses.md', 'copying', 'copying.txt'];
const WINDOWS_RESERVED = ['CON', 'PRN', 'AUX', 'NUL', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((i) => [`COM${i}`, `LPT${i}`])];
const SEMVER = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const SPEC_KEYS = ['version', 'homepage', 'shortDescription', 'description', 'caveats', 'platforms'];
const PLATFORM_KEYS = ['selector', 'uri', 'sha256', 'files', 'bin', 'license'];

/** @typedef {{ name: string, mode: number, dir: boolean, data: Buffer }} KrewEntry */

// --- rendering ---------------------------------------------------------------------

/**
 * What krew-release-bot derives from a tag: "v0.1.0" -> "0.1.0" (first dotted number run).
 * @param {string} tag
 */
export function versionFromTag(tag) {
  return /\d+(\.\d+)+/.exec(tag)?.[0] ?? tag;
}

/**
 * Renders a krew-release-bot template the way the bot does (Go text/template with
 * .TagName, .Version and addURIAndSha "URL-template" .TagName -> "uri: URL\n    sha256: SHA"),
 * for the subset of the template language .krew.yaml uses. `shaOf(url)` gives the sha256
 * (the bot downloads the asset; the release hashes its local archive).
 * @param {string} template
 * @param {{ tag: string, shaOf: (url: string) => string }} opts
 */
export function renderTemplate(template, { tag, shaOf }) {
  const vars = { TagName: tag, Version: versionFromTag(tag) };
  const simple = (/** @type {string} */ s) => s.replace(/\{\{\s*\.(TagName|Version)\s*\}\}/g, (_, /** @type {'TagName' | 'Version'} */ k) => vars[k]);
  let out = template.replace(/\{\{\s*addURIAndSha\s+"((?:[^"\\]|\\.)*)"\s+\.TagName\s*\}\}/g, (_, /** @type {string} */ urlTemplate) => {
    const url = simple(JSON.parse(`"${urlTemplate}"`));
    return `uri: ${url}\n    sha256: ${shaOf(url)}`;
  });
  out = simple(out);
  const left = /\{\{.*?\}\}/.exec(out);
  if (left) throw new Error(`template: unsupported action ${left[0]}`);
  return out;
}

/**
 * shaOf for renderTemplate from a directory of archives, looked up by the URL's last path segment.
 * @param {string} dir
 * @returns {(url: string) => string}
 */
export function shaFromDir(dir) {
  return (url) => {
    const file = path.join(dir, path.posix.basename(new URL(url).pathname));
    if (!fs.existsSync(file)) throw new Error(`no local archive for ${url} (looked for ${file})`);
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  };
}

// --- selectors -----------------------------------------------------------------------

/**
 * metav1.LabelSelector semantics over the labels {os, arch}.
 * @param {any} sel a selector as the manifest has it, unchecked
 * @param {Record<string, string>} labels
 */
export function selectorMatches(sel, labels) {
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel?.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const vals = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !vals.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && vals.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

// --- archives as krew sees them -------------------------------------------------------

/**
 * http.DetectContentType's verdict for the two types krew accepts, else null.
 * @param {Buffer} buf
 * @returns {'zip' | 'tar.gz' | null}
 */
export function archiveKind(buf) {
  if (buf.length >= 4 && buf.readUInt32BE(0) === 0x504b0304) return 'zip';
  if (buf.length >= 3 && buf[0] === 0x1f && buf[1] === 0x8b && buf[2] === 0x08) return 'tar.gz';
  return null;
}

/**
 * The files krew would extract from an archive, as krew's downloader does: only regular
 * files and directories (pax_global_header skipped), no ".." and no absolute paths, the
 * mode from the header. Throws with krew's wording on anything it refuses.
 * @param {Buffer} buf
 * @returns {KrewEntry[]}
 */
export function krewEntries(buf) {
  const kind = archiveKind(buf);
  if (!kind) throw new Error('mime type is not a supported archive format (want application/zip or application/x-gzip)');
  const check = (/** @type {string} */ name) => {
    if (name.includes('..') || name.startsWith('/') || name.startsWith('\\')) throw new Error(`archive entry has an illegal path: ${name}`);
  };
  if (kind === 'zip') {
    return readZip(buf).map((e) => {
      check(e.name);
      // Go's zip FileHeader.Mode(): Unix mode when made on Unix, else 0666 (dirs 0777).
      const mode = e.madeBy >> 8 === 3 ? e.mode & 0o7777 : e.isDir ? 0o777 : 0o666;
      return { name: e.name.replace(/\/$/, ''), mode, dir: e.isDir, data: e.data };
    });
  }
  /** @type {KrewEntry[]} */
  const out = [];
  for (const e of readTar(buf)) {
    if (e.type === 'g' && e.name === 'pax_global_header') continue;
    check(e.name);
    if (e.type === '5') out.push({ name: e.name.replace(/\/$/, ''), mode: e.mode & 0o7777, dir: true, data: Buffer.alloc(0) });
    else if (e.type === '0' || e.type === '\0') out.push({ name: e.name, mode: e.mode & 0o7777, dir: false, data: e.data });
    else throw new Error(`unable to handle file type ${JSON.stringify(e.type)} for ${e.name}`);
  }
  return out;
}

/**
 * Glob match for krew `files.from` (path.Match: * within one path segment, ? one char).
 * @param {string} pattern
 * @param {string} name
 */
function globMatch(pattern, name) {
  const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
  return re.test(name);
}

/**
 * Where krew's `files` operations put each extracted file (from glob -> to dir; default
 * "*" -> "."), relative to the install dir. Maps install path -> entry.
 * @param {KrewEntry[]} entries
 * @param {{ from?: unknown, to?: unknown }[] | null} [files] as the manifest has them, unchecked
 * @returns {Map<string, KrewEntry>}
 */
export function krewLayout(entries, files) {
  const ops = files ?? [{ from: '*', to: '.' }];
  /** @type {Map<string, KrewEntry>} */
  const layout = new Map();
  for (const op of ops) {
    if (typeof op?.from !== 'string' || typeof op?.to !== 'string' || !op.from || !op.to) continue; // reported by the files rule
    for (const e of entries) {
      if (!globMatch(op.from, e.name)) continue;
      const to = op.to;
      const under = (/** @type {string} */ prefix) => entries.filter((x) => x.name.startsWith(`${prefix}/`));
      const put = (/** @type {KrewEntry} */ x, /** @type {string} */ rel) => layout.set(path.posix.normalize(path.posix.join(to, rel)), x);
      if (e.dir) for (const x of under(e.name)) put(x, path.posix.relative(path.posix.dirname(e.name), x.name));
      else put(e, path.posix.basename(e.name));
    }
  }
  return layout;
}

// --- validation ----------------------------------------------------------------------

/**
 * @param {string} text the manifest's YAML
 * @param {object} o
 * @param {string} o.fileName the name it is submitted under (krew takes the plugin name from it)
 * @param {string} o.version package.json's version ("0.1.0")
 * @param {string} [o.archiveDir] when given, every platform's archive is checked in it (by the uri's file name)
 * @returns {string[]} problems, each "[rule] message"
 */
export function validateManifest(text, { fileName, version, archiveDir }) {
  /** @type {string[]} */
  const errs = [];
  const bad = (/** @type {string} */ rule, /** @type {string} */ msg) => errs.push(`[${rule}] ${msg}`);
  /** @type {any} a document of unknown shape: every field is checked below before use */
  let m;
  try {
    m = load(text);
  } catch (e) {
    return [`[yaml] ${e instanceof Error ? e.message : e}`];
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) return ['[yaml] not a mapping'];

  // file name and plugin name
  if (path.extname(fileName) !== '.yaml') bad('file-ext', `${fileName}: the manifest file extension must be .yaml`);
  const nameFromFile = path.basename(fileName).replace(/\.yaml$/, '');
  if (!/^[\w-]+$/.test(nameFromFile)) bad('name', `plugin name ${JSON.stringify(nameFromFile)} must match ^[\\w-]+$`);
  if (WINDOWS_RESERVED.includes(nameFromFile.toUpperCase())) bad('name', `plugin name ${nameFromFile} is a reserved name on Windows`);

  if (m.apiVersion !== API_VERSION) bad('apiVersion', `apiVersion must be ${API_VERSION}, not ${JSON.stringify(m.apiVersion)}`);
  if (m.kind !== 'Plugin') bad('kind', `kind must be Plugin, not ${JSON.stringify(m.kind)}`);
  const name = m.metadata?.name;
  if (name !== nameFromFile) bad('metadata.name', `plugin should be named ${JSON.stringify(nameFromFile)}, not ${JSON.stringify(name)}`);
  if (typeof name === 'string') {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name) || /^kube(rnetes)?-?/.test(name)) bad('metadata.name', `${name}: names are lowercase kebab-case without a kube prefix (naming guide)`);
    if (name !== PLUGIN) bad('metadata.name', `this repository's plugin is ${PLUGIN}, not ${name}`);
  }

  const spec = m.spec;
  if (!spec || typeof spec !== 'object') {
    bad('spec', 'spec is missing');
    return errs;
  }
  for (const k of Object.keys(spec)) if (!SPEC_KEYS.includes(k)) bad('unknown-field', `spec.${k} is not a krew field (typo?)`);

  // version
  const v = spec.version;
  if (typeof v !== 'string' || !v) bad('version', 'spec.version is required');
  else {
    if (!v.startsWith('v')) bad('version', `version string ${JSON.stringify(v)} not starting with 'v'`);
    else if (!SEMVER.test(v)) bad('version', `${v} is not a semantic version vMAJOR.MINOR.PATCH[-pre][+build]`);
    if (v !== `v${version}`) bad('version', `${v} != v${version} (package.json)`);
  }

  // texts
  const sd = spec.shortDescription;
  if (typeof sd !== 'string' || !sd.trim()) bad('shortDescription', 'should not be empty');
  else {
    if (/[\r\n]/.test(sd)) bad('shortDescription', 'should be a single line');
    if (sd.length > 70) bad('shortDescription', `${sd.length} characters; keep it to 70 (krew search)`);
  }
  if (typeof spec.description !== 'string' || !spec.description.trim()) bad('description', 'should not be empty');
  for (const field of ['description', 'caveats']) {
    const t = spec[field];
    if (t === undefined) continue;
    if (typeof t !== 'string') { bad(field, 'must be a string'); continue; }
    t.split('\n').forEach((line, i) => {
      if (line.length > 80 && line.includes(' ')) bad(field, `line ${i + 1} has ${line.length} characters (max 80)`);
    });
  }
  if (typeof spec.homepage !== 'string' || !/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/.test(spec.homepage)) {
    bad('homepage', `homepage must be https://github.com/<owner>/<repo> (krew-release-bot ownership), not ${JSON.stringify(spec.homepage)}`);
  } else if (spec.homepage !== REPO_URL) bad('homepage', `homepage ${spec.homepage} != ${REPO_URL}`);

  // platforms
  const platforms = spec.platforms;
  if (!Array.isArray(platforms) || platforms.length === 0) {
    bad('platforms', 'should have a platform specified');
    return errs;
  }
  /** @type {Map<string, number[]>} */
  const matchedBy = new Map(KREW_PLATFORMS.map((p) => [`${p.os}/${p.arch}`, []]));
  const seen = { uri: new Map(), sha256: new Map() };
  platforms.forEach((p, i) => {
    const where = `platform ${i}`;
    if (!p || typeof p !== 'object') { bad('platforms', `${where} is not a mapping`); return; }
    for (const k of Object.keys(p)) if (!PLATFORM_KEYS.includes(k)) bad('unknown-field', `${where}: ${k} is not a krew field (typo?)`);
    const sel = p.selector;
    let label = where;
    if (sel === undefined || sel === null) bad('selector', `${where}: nil selector is not supported`);
    else {
      const ml = sel.matchLabels;
      const me = sel.matchExpressions;
      if (ml === undefined && me === undefined) bad('selector', `${where}: empty selector is not supported`);
      if (ml !== undefined && (ml === null || typeof ml !== 'object' || Object.keys(ml).length === 0)) bad('selector', `${where}: matchLabels specified but empty`);
      if (me !== undefined && (!Array.isArray(me) || me.length === 0)) bad('selector', `${where}: matchExpressions specified but empty`);
      for (const k of Object.keys(ml ?? {})) if (k !== 'os' && k !== 'arch') bad('selector', `${where}: key ${JSON.stringify(k)} not allowed in selector (only os, arch)`);
      for (const e of Array.isArray(me) ? me : []) {
        if (e?.key !== 'os' && e?.key !== 'arch') bad('selector', `${where}: key ${JSON.stringify(e?.key)} not allowed in selector (only os, arch)`);
        if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e?.operator)) bad('selector', `${where}: invalid operator ${JSON.stringify(e?.operator)}`);
        if (['In', 'NotIn'].includes(e?.operator) && !(e.values?.length > 0)) bad('selector', `${where}: ${e.operator} needs values`);
      }
      const hits = KREW_PLATFORMS.filter((pl) => selectorMatches(sel, pl));
      if (hits.length === 0) bad('selector', `${where}: matches none of krew's supported os/arch pairs`);
      for (const h of hits) matchedBy.get(`${h.os}/${h.arch}`)?.push(i);
      if (hits.length === 1) label = `platform ${hits[0].os}/${hits[0].arch}`;
    }

    // uri
    const target = label.startsWith('platform ') && label.includes('/') ? label.slice(9).replace('/', '-') : null;
    if (typeof p.uri !== 'string' || !p.uri) bad('uri', `${label}: uri has to be specified`);
    else {
      if (!p.uri.startsWith('https://')) bad('uri', `${label}: uri must be https`);
      if (typeof v === 'string' && !p.uri.includes(`/${v}/`)) bad('uri', `${label}: uri does not contain the version tag ${v}`);
      const os = target && splitTarget(target).os;
      if (os && !p.uri.endsWith(os === 'windows' ? '.zip' : '.tar.gz')) bad('uri', `${label}: a ${os} archive must be ${os === 'windows' ? '.zip' : '.tar.gz'}`);
      if (target && TARGETS.includes(target) && p.uri !== releaseUri(`v${version}`, archiveName(target, version))) {
        bad('uri', `${label}: uri ${p.uri} != ${releaseUri(`v${version}`, archiveName(target, version))}`);
      }
      if (seen.uri.has(p.uri)) bad('uri', `${label}: same uri as platform ${seen.uri.get(p.uri)}`);
      seen.uri.set(p.uri, i);
    }

    // sha256
    if (typeof p.sha256 !== 'string' || !p.sha256) bad('sha256', `${label}: sha256 has to be specified`);
    else {
      if (!/^[a-f0-9]{64}$/.test(p.sha256)) bad('sha256', `${label}: sha256 ${JSON.stringify(p.sha256)} is not 64 lowercase hex digits`);
      if (seen.sha256.has(p.sha256)) bad('sha256', `${label}: same sha256 as platform ${seen.sha256.get(p.sha256)}`);
      seen.sha256.set(p.sha256, i);
    }

    // bin
    if (typeof p.bin !== 'string' || !p.bin) bad('bin', `${label}: bin has to be specified`);
    else {
      if (target?.startsWith('windows') && !p.bin.endsWith('.exe')) bad('bin', `${label}: only .exe entrypoints are supported on Windows`);
      if (target && TARGETS.includes(target) && p.bin !== binName(target)) bad('bin', `${label}: bin ${p.bin} != ${binName(target)}`);
    }

    // files
    if (p.files !== undefined && p.files !== null) {
      if (!Array.isArray(p.files) || p.files.length === 0) bad('files', `${label}: \`files\` has to be unspecified or non-empty`);
      else p.files.forEach((/** @type {any} */ f, /** @type {number} */ j) => {
        if (typeof f?.from !== 'string' || !f.from) bad('files', `${label}: files[${j}].from has to be specified`);
        if (typeof f?.to !== 'string' || !f.to) bad('files', `${label}: files[${j}].to has to be specified`);
      });
    }

    // the archive itself
    if (archiveDir && typeof p.uri === 'string' && p.uri) {
      const file = path.join(archiveDir, path.posix.basename(p.uri));
      if (!fs.existsSync(file)) { bad('archive', `${label}: ${path.basename(file)} not found in ${archiveDir}`); return; }
      const buf = fs.readFileSync(file);
      const sha = createHash('sha256').update(buf).digest('hex');
      if (typeof p.sha256 === 'string' && p.sha256 !== sha) bad('sha256', `${label}: sha256 ${p.sha256} != ${sha}, the sha256 of ${path.basename(file)}`);
      let entries;
      try {
        entries = krewEntries(buf);
      } catch (e) {
        bad('archive', `${label}: ${e instanceof Error ? e.message : e}`);
        return;
      }
      if (!Array.isArray(p.files) || p.files.length > 0) {
        const layout = krewLayout(entries, p.files);
        const binEntry = typeof p.bin === 'string' ? layout.get(path.posix.normalize(p.bin)) : undefined;
        if (!binEntry || binEntry.dir) bad('bin', `${label}: can't create symbolic link, source binary (${p.bin}) cannot be found in extracted archive`);
        else if (!target?.startsWith('windows') && !(binEntry.mode & 0o100)) bad('bin', `${label}: ${p.bin} is not executable (mode ${binEntry.mode.toString(8)})`);
        if (![...layout.keys()].some((k) => !k.includes('/') && LICENSE_NAMES.includes(k.toLowerCase()))) bad('license', `${label}: no LICENSE file after install`);
      }
    }
  });
  for (const [pair, idx] of matchedBy) if (idx.length > 1) bad('overlap', `${pair} is matched by platforms ${idx.join(' and ')}`);
  const want = TARGETS.map((t) => t.replace('-', '/'));
  const covered = want.filter((pair) => matchedBy.get(pair)?.length);
  if (platforms.length !== TARGETS.length || covered.length !== TARGETS.length) {
    bad('platforms', `want exactly one platform for each of ${want.join(', ')}; have ${platforms.length} covering ${covered.join(', ') || 'none'}`);
  }
  return errs;
}
