// Deterministic archives for krew: tar.gz (linux, darwin) and zip (windows), written by
// hand so that every byte is decided here: entries sorted, uid/gid 0, no user or group
// names, one fixed mtime, gzip header with mtime 0, no file name and a fixed OS byte,
// zip entries with a fixed DOS time. Readers for both, for the tests and the release's
// own checks (krew-like extraction is krewEntries/krewLayout in manifest.mjs).
//
// Why not node-tar 7.5.23 and yazl 3.3.1 / yauzl 3.4.0 (measured 2026-12-01 on the
// 127 MB linux/amd64 binary plus LICENSE, pinned Node 22.23.2, gzip/deflate level 6):
// - both are reproducible run to run (two builds each: byte-identical), and neither is
//   faster: medians of 3 interleaved runs, hand tar.gz 4.75 s vs node-tar 4.95 s, hand
//   zip 4.65 s vs yazl 5.40 s (zlib's deflate is all of the time; sizes equal, 43.53 MB).
// - node-tar packs files from disk (its API takes paths): the binary must be staged and
//   each entry's mode is whatever that file system gives it after chmod (on Windows,
//   where no 0755 exists, the bytes would differ by host). Its gzip header says OS 255.
// - yazl writes the DOS time from the local time zone: the same archive built with
//   TZ=UTC and TZ=Asia/Dhaka differed (byte 12, the DOS date/time), so the release would
//   have to pin TZ. (Otherwise its zip differs from this one only in the UTF-8 name flag
//   and a made-by version of 6.3.)
// - together 10 packages (4.1 MB) for ~150 lines here, and the readers below would stay
//   (the krew checks need the raw headers: typeflag, mode, made-by).
// yauzl reads these zips correctly (modes 100755/100644, the fixed time), as do GNU tar
// and unzip in test/release.test.ts.
import zlib from 'node:zlib';

/** @typedef {{ name: string, data: Buffer, mode: number }} Entry */
/**
 * @typedef {{ name: string, type: string, size: number, mode: number, uid: number, gid: number, mtime: number,
 *   linkname: string, magic: string, uname: string, gname: string, data: Buffer }} TarEntry
 */
/** @typedef {{ name: string, mode: number, isDir: boolean, time: number, date: number, madeBy: number, data: Buffer }} ZipEntry */

const BLOCK = 512;
const RECORD = 10240; // what tar(1) pads to; harmless for Go's archive/tar

/**
 * @param {number} n
 * @param {number} width
 */
function octal(n, width) {
  // width includes the terminating NUL
  const s = n.toString(8);
  if (s.length > width - 1) throw new Error(`tar: ${n} does not fit in ${width - 1} octal digits`);
  return s.padStart(width - 1, '0') + '\0';
}

/** @param {Entry[]} entries */
function sortEntries(entries) {
  const names = new Set();
  for (const e of entries) {
    if (names.has(e.name)) throw new Error(`archive: duplicate entry ${e.name}`);
    names.add(e.name);
    if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(e.name) || e.name.split('/').includes('..')) {
      throw new Error(`archive: refusing entry name ${JSON.stringify(e.name)}`);
    }
  }
  return [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
}

/**
 * @param {string} name
 * @param {number} size
 * @param {number} mode
 * @param {number} mtime
 */
function tarHeader(name, size, mode, mtime) {
  const h = Buffer.alloc(BLOCK, 0);
  /** @type {(off: number, len: number, str: string) => void} */
  const put = (off, len, str) => {
    const b = Buffer.from(str, 'utf8');
    if (b.length > len) throw new Error(`tar: field too long: ${str}`);
    b.copy(h, off);
  };
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: name too long: ${name}`);
  put(0, 100, name);
  put(100, 8, octal(mode & 0o7777, 8));
  put(108, 8, octal(0, 8)); // uid
  put(116, 8, octal(0, 8)); // gid
  put(124, 12, octal(size, 12));
  put(136, 12, octal(mtime, 12));
  h.fill(0x20, 148, 156); // checksum field counts as spaces
  put(156, 1, '0'); // regular file
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  // uname, gname empty; devmajor/devminor as in GNU tar's ustar output
  put(329, 8, octal(0, 8));
  put(337, 8, octal(0, 8));
  let sum = 0;
  for (const b of h) sum += b;
  put(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/**
 * An uncompressed ustar archive of regular files.
 * @param {Entry[]} entries
 * @param {{ mtime: number }} opts
 * @returns {Buffer}
 */
export function tar(entries, { mtime }) {
  const parts = [];
  for (const e of sortEntries(entries)) {
    parts.push(tarHeader(e.name, e.data.length, e.mode, mtime), e.data);
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  let len = parts.reduce((n, p) => n + p.length, 0);
  if (len % RECORD) parts.push(Buffer.alloc(RECORD - (len % RECORD)));
  return Buffer.concat(parts);
}

/**
 * gzip with a fixed header: mtime 0, no name (Node never writes one), OS byte 3 (Unix) on every host.
 * @param {Buffer} data
 * @param {number} [level]
 */
export function gzip(data, level = zlib.constants.Z_DEFAULT_COMPRESSION) {
  const gz = zlib.gzipSync(data, { level });
  gz.writeUInt32LE(0, 4);
  gz[9] = 3;
  return gz;
}

/**
 * @param {Entry[]} entries
 * @param {{ mtime: number, level?: number }} opts
 */
export function tarGz(entries, { mtime, level }) {
  return gzip(tar(entries, { mtime }), level);
}

/**
 * Reads a (gzipped) tar into its raw entries: {name, type, mode, uid, gid, uname, gname,
 * mtime, size, linkname, data}. `type` is the typeflag character ('0' regular, '5' dir,
 * '2' symlink, '1' hardlink, 'x'/'g' pax...). Does not interpret pax headers.
 * @param {Buffer} buf
 * @returns {TarEntry[]}
 */
export function readTar(buf) {
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);
  /** @type {TarEntry[]} */
  const out = [];
  const str = (/** @type {Buffer} */ b) => b.toString('utf8').replace(/\0.*$/s, '');
  const num = (/** @type {Buffer} */ b) => parseInt(str(b).trim() || '0', 8);
  for (let off = 0; off + BLOCK <= buf.length;) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((x) => x === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    if (sum !== num(h.subarray(148, 156))) throw new Error(`tar: bad header checksum at offset ${off}`);
    const size = num(h.subarray(124, 136));
    const prefix = str(h.subarray(345, 500));
    const name = (prefix ? `${prefix}/` : '') + str(h.subarray(0, 100));
    const type = String.fromCharCode(h[156] || 0x30);
    out.push({
      name, type, size,
      mode: num(h.subarray(100, 108)),
      uid: num(h.subarray(108, 116)),
      gid: num(h.subarray(116, 124)),
      mtime: num(h.subarray(136, 148)),
      linkname: str(h.subarray(157, 257)),
      magic: h.subarray(257, 265).toString('latin1'),
      uname: str(h.subarray(265, 297)),
      gname: str(h.subarray(297, 329)),
      data: buf.subarray(off + BLOCK, off + BLOCK + size),
    });
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}

// --- zip ---------------------------------------------------------------------------

/** @type {number[] | undefined} */
let crcTable;
/** @param {Uint8Array} buf */
export function crc32(buf) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(buf) >>> 0;
  crcTable ??= Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = crcTable[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * MS-DOS date and time (UTC) of a Unix time, clamped to the DOS epoch 1980-01-01.
 * @param {number} unixSeconds
 */
export function dosTime(unixSeconds) {
  const d = new Date(Math.max(unixSeconds, 315532800) * 1000);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/**
 * A zip of regular files, deflated, no extra fields, no data descriptors, "made by"
 * Unix so the mode survives (krew takes it from f.Mode()).
 * @param {Entry[]} entries
 * @param {{ mtime: number, level?: number }} opts
 * @returns {Buffer}
 */
export function zip(entries, { mtime, level = zlib.constants.Z_DEFAULT_COMPRESSION }) {
  const { time, date } = dosTime(mtime);
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const e of sortEntries(entries)) {
    const name = Buffer.from(e.name, 'utf8');
    const comp = zlib.deflateRawSync(e.data, { level });
    const crc = crc32(e.data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    lh.writeUInt16LE(0, 6); // flags
    lh.writeUInt16LE(8, 8); // deflate
    lh.writeUInt16LE(time, 10);
    lh.writeUInt16LE(date, 12);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(comp.length, 18);
    lh.writeUInt32LE(e.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    lh.writeUInt16LE(0, 28);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0, 8);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt16LE(time, 12);
    ch.writeUInt16LE(date, 14);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(e.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    // extra, comment, disk start, internal attributes: 0
    ch.writeUInt32LE(((0o100000 | (e.mode & 0o7777)) << 16) >>> 0, 38);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, comp);
    centrals.push(ch, name);
    offset += lh.length + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * Reads a zip through its central directory: [{name, mode, isDir, time, date, madeBy, data}].
 * @param {Buffer} buf
 * @returns {ZipEntry[]}
 */
export function readZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  /** @type {ZipEntry[]} */
  const out = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('zip: bad central directory entry');
    const madeBy = buf.readUInt16LE(p + 4);
    const method = buf.readUInt16LE(p + 10);
    const time = buf.readUInt16LE(p + 12);
    const date = buf.readUInt16LE(p + 14);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const ext = buf.readUInt32LE(p + 38);
    const lho = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const lnameLen = buf.readUInt16LE(lho + 26);
    const lextraLen = buf.readUInt16LE(lho + 28);
    const start = lho + 30 + lnameLen + lextraLen;
    const raw = buf.subarray(start, start + csize);
    const data = method === 0 ? raw : zlib.inflateRawSync(raw);
    if (crc32(data) !== crc) throw new Error(`zip: CRC mismatch in ${name}`);
    const mode = (madeBy >> 8) === 3 ? (ext >>> 16) : 0;
    out.push({ name, mode, isDir: name.endsWith('/'), time, date, madeBy, data });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
