// Ad-hoc code signing of a 64-bit Mach-O executable, from Linux, in the layout Apple's
// linker and `codesign -s -` produce (modelled on the description of Go's
// cmd/internal/codesign; written from the format, not copied):
//
//   LC_CODE_SIGNATURE (new load command) -> SuperBlob (0xfade0cc0) at the 16-aligned end
//   of __LINKEDIT, holding
//     CodeDirectory (0xfade0c02, version 0x20400, flags adhoc): identifier, special slot
//       -2 = sha256 of the requirements blob (-1, Info.plist, all zero), then the sha256
//       of every 4096-byte page of [0, codeLimit), codeLimit = where the signature starts;
//       execSeg base/limit = __TEXT's fileoff/filesize, flags MAIN_BINARY;
//     Requirements (0xfade0c01, empty: count 0);
//     BlobWrapper (0xfade0b01, empty: no CMS signature, which is what "ad-hoc" means).
//   __LINKEDIT filesize grows to cover it, vmsize rounded up to 16 KiB.
// arm64 macOS kills unsigned code; this is the minimum it accepts. No entitlements
// (Node's hardened-runtime entitlements belong to a Developer ID signature, not ad-hoc).
import { createHash } from 'node:crypto';

const MH_MAGIC_64 = 0xfeedfacf;
const MH_EXECUTE = 2;
const LC_SEGMENT_64 = 0x19;
export const LC_CODE_SIGNATURE = 0x1d;

export const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
export const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
export const CSMAGIC_REQUIREMENTS = 0xfade0c01;
export const CSMAGIC_BLOBWRAPPER = 0xfade0b01;
const CSSLOT_CODEDIRECTORY = 0;
const CSSLOT_REQUIREMENTS = 2;
const CSSLOT_SIGNATURESLOT = 0x10000;
export const CS_ADHOC = 0x2;
const CS_HASHTYPE_SHA256 = 2;
const CS_EXECSEG_MAIN_BINARY = 1;
const CD_VERSION = 0x20400; // has execSeg fields
const CD_HEADER = 88; // CodeDirectory fields up to execSegFlags
const HASH = 32;
export const PAGE_BITS = 12;
const PAGE = 1 << PAGE_BITS;
const SEG_ALIGN = 0x4000;
const EMPTY_REQUIREMENTS = Buffer.from([0xfa, 0xde, 0x0c, 0x01, 0, 0, 0, 12, 0, 0, 0, 0]);

const alignUp = (/** @type {number} */ n, /** @type {number} */ a) => Math.ceil(n / a) * a;
const sha256 = (/** @type {Uint8Array} */ b) => createHash('sha256').update(b).digest();
const cstr = (/** @type {Buffer} */ b) => b.toString('latin1').replace(/\0.*$/s, '');

/**
 * @typedef {{ offset: number, name: string, vmaddr: number, vmsize: number, fileoff: number, filesize: number,
 *   sections: { name: string, size: number, offset: number }[] }} Segment
 */
/**
 * @typedef {{ cputype: number, filetype: number, ncmds: number, sizeofcmds: number,
 *   cmds: { cmd: number, cmdsize: number, offset: number }[], segments: Segment[],
 *   codeSignature: { offset: number, dataoff: number, datasize: number } | null }} MachO
 */

/**
 * Header, load commands, segments (with sections) and LC_CODE_SIGNATURE of a 64-bit little-endian Mach-O.
 * @param {Buffer} buf
 * @returns {MachO}
 */
export function parseMachO(buf) {
  if (buf.length < 32 || buf.readUInt32LE(0) !== MH_MAGIC_64) throw new Error('not a 64-bit little-endian Mach-O (fat binaries are not supported)');
  /** @type {MachO} */
  const h = {
    cputype: buf.readUInt32LE(4), filetype: buf.readUInt32LE(12),
    ncmds: buf.readUInt32LE(16), sizeofcmds: buf.readUInt32LE(20),
    cmds: [], segments: [], codeSignature: null,
  };
  let off = 32;
  for (let i = 0; i < h.ncmds; i++) {
    if (off + 8 > 32 + h.sizeofcmds) throw new Error(`load command ${i} runs past sizeofcmds`);
    const cmd = buf.readUInt32LE(off);
    const cmdsize = buf.readUInt32LE(off + 4);
    if (cmdsize < 8 || cmdsize % 8 || off + cmdsize > 32 + h.sizeofcmds) throw new Error(`load command ${i} has a bad cmdsize ${cmdsize}`);
    h.cmds.push({ cmd, cmdsize, offset: off });
    if (cmd === LC_SEGMENT_64) {
      /** @type {Segment} */
      const seg = {
        offset: off,
        name: cstr(buf.subarray(off + 8, off + 24)),
        vmaddr: Number(buf.readBigUInt64LE(off + 24)),
        vmsize: Number(buf.readBigUInt64LE(off + 32)),
        fileoff: Number(buf.readBigUInt64LE(off + 40)),
        filesize: Number(buf.readBigUInt64LE(off + 48)),
        sections: [],
      };
      const nsects = buf.readUInt32LE(off + 64);
      for (let s = 0; s < nsects; s++) {
        const so = off + 72 + s * 80;
        seg.sections.push({ name: cstr(buf.subarray(so, so + 16)), size: Number(buf.readBigUInt64LE(so + 40)), offset: buf.readUInt32LE(so + 48) });
      }
      h.segments.push(seg);
    } else if (cmd === LC_CODE_SIGNATURE) {
      if (h.codeSignature) throw new Error('two LC_CODE_SIGNATURE load commands');
      h.codeSignature = { offset: off, dataoff: buf.readUInt32LE(off + 8), datasize: buf.readUInt32LE(off + 12) };
    }
    off += cmdsize;
  }
  if (off !== 32 + h.sizeofcmds) throw new Error(`load commands end at ${off}, sizeofcmds says ${32 + h.sizeofcmds}`);
  return h;
}

/**
 * @param {MachO} h
 * @param {string} name
 */
function segment(h, name) {
  const s = h.segments.find((x) => x.name === name);
  if (!s) throw new Error(`no ${name} segment`);
  return s;
}

/**
 * First file offset used by section data: the load commands must end before it.
 * @param {MachO} h
 */
function firstSectionOffset(h) {
  let min = Infinity;
  for (const s of h.segments) for (const sec of s.sections) if (sec.offset > 0 && sec.size > 0) min = Math.min(min, sec.offset);
  return min;
}

/**
 * Size of the SuperBlob for `nPages` code pages and `identifier`.
 * @param {number} nPages
 * @param {string} identifier
 */
export function signatureSize(nPages, identifier) {
  const cd = CD_HEADER + Buffer.byteLength(identifier) + 1 + (CSSLOT_REQUIREMENTS + nPages) * HASH;
  return 12 + 3 * 8 + cd + EMPTY_REQUIREMENTS.length + 8;
}

/**
 * Returns a new buffer: `input` (unsigned, e.g. after macho-unsign) with an ad-hoc signature.
 * Deterministic: the same input gives the same bytes.
 * @param {Buffer} input
 * @param {{ identifier?: string }} [opts]
 * @returns {Buffer}
 */
export function adhocSign(input, { identifier = 'kubectl-dhakacart' } = {}) {
  const h = parseMachO(input);
  if (h.codeSignature) throw new Error('already has LC_CODE_SIGNATURE: strip the old signature first (macho-unsign)');
  if (h.filetype !== MH_EXECUTE) throw new Error(`filetype ${h.filetype} is not MH_EXECUTE`);
  const text = segment(h, '__TEXT');
  const linkedit = segment(h, '__LINKEDIT');
  if (linkedit.fileoff + linkedit.filesize !== input.length) {
    throw new Error(`__LINKEDIT ends at ${linkedit.fileoff + linkedit.filesize}, not at the end of the file (${input.length})`);
  }
  if (h.segments.some((s) => s !== linkedit && s.fileoff + s.filesize > linkedit.fileoff && s.filesize > 0 && s.fileoff >= linkedit.fileoff)) {
    throw new Error('__LINKEDIT is not the last segment in the file');
  }
  const cmdsEnd = 32 + h.sizeofcmds;
  if (cmdsEnd + 16 > firstSectionOffset(h)) throw new Error(`no room for LC_CODE_SIGNATURE: load commands end at ${cmdsEnd}, first section at ${firstSectionOffset(h)}`);
  if (input.subarray(cmdsEnd, cmdsEnd + 16).some((b) => b !== 0)) throw new Error('the space after the load commands is not empty');

  const codeLimit = alignUp(input.length, 16);
  const nPages = Math.ceil(codeLimit / PAGE);
  const sigSize = signatureSize(nPages, identifier);
  if (codeLimit + sigSize > 0xffffffff) throw new Error('file too large for a 32-bit codeLimit');
  const out = Buffer.alloc(codeLimit + sigSize);
  input.copy(out);

  // Header edits first: the page hashes cover them.
  out.writeUInt32LE(h.ncmds + 1, 16);
  out.writeUInt32LE(h.sizeofcmds + 16, 20);
  out.writeUInt32LE(LC_CODE_SIGNATURE, cmdsEnd);
  out.writeUInt32LE(16, cmdsEnd + 4);
  out.writeUInt32LE(codeLimit, cmdsEnd + 8);
  out.writeUInt32LE(sigSize, cmdsEnd + 12);
  const leFilesize = codeLimit + sigSize - linkedit.fileoff;
  out.writeBigUInt64LE(BigInt(leFilesize), linkedit.offset + 48);
  out.writeBigUInt64LE(BigInt(Math.max(linkedit.vmsize, alignUp(leFilesize, SEG_ALIGN))), linkedit.offset + 32);

  // SuperBlob: header + 3 index entries, CodeDirectory, Requirements, BlobWrapper.
  const sig = out.subarray(codeLimit);
  const idBytes = Buffer.from(`${identifier}\0`, 'utf8');
  const identOffset = CD_HEADER;
  const hashOffset = identOffset + idBytes.length + CSSLOT_REQUIREMENTS * HASH;
  const cdLength = hashOffset + nPages * HASH;
  const cdAt = 12 + 3 * 8;
  const reqAt = cdAt + cdLength;
  const wrapAt = reqAt + EMPTY_REQUIREMENTS.length;
  sig.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  sig.writeUInt32BE(sigSize, 4);
  sig.writeUInt32BE(3, 8);
  [[CSSLOT_CODEDIRECTORY, cdAt], [CSSLOT_REQUIREMENTS, reqAt], [CSSLOT_SIGNATURESLOT, wrapAt]].forEach(([slot, at], i) => {
    sig.writeUInt32BE(slot, 12 + i * 8);
    sig.writeUInt32BE(at, 16 + i * 8);
  });
  const cd = sig.subarray(cdAt, cdAt + cdLength);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(cdLength, 4);
  cd.writeUInt32BE(CD_VERSION, 8);
  cd.writeUInt32BE(CS_ADHOC, 12);
  cd.writeUInt32BE(hashOffset, 16);
  cd.writeUInt32BE(identOffset, 20);
  cd.writeUInt32BE(CSSLOT_REQUIREMENTS, 24); // nSpecialSlots
  cd.writeUInt32BE(nPages, 28); // nCodeSlots
  cd.writeUInt32BE(codeLimit, 32);
  cd[36] = HASH; cd[37] = CS_HASHTYPE_SHA256; cd[38] = 0; cd[39] = PAGE_BITS;
  // 40 spare2, 44 scatterOffset, 48 teamOffset, 52 spare3: 0; 56 codeLimit64: 0 (codeLimit fits)
  cd.writeBigUInt64BE(BigInt(text.fileoff), 64);
  cd.writeBigUInt64BE(BigInt(text.filesize), 72);
  cd.writeBigUInt64BE(BigInt(CS_EXECSEG_MAIN_BINARY), 80);
  idBytes.copy(cd, identOffset);
  sha256(EMPTY_REQUIREMENTS).copy(cd, hashOffset - CSSLOT_REQUIREMENTS * HASH); // slot -2; slot -1 stays zero
  for (let p = 0; p < nPages; p++) {
    sha256(out.subarray(p * PAGE, Math.min((p + 1) * PAGE, codeLimit))).copy(cd, hashOffset + p * HASH);
  }
  EMPTY_REQUIREMENTS.copy(sig, reqAt);
  sig.writeUInt32BE(CSMAGIC_BLOBWRAPPER, wrapAt);
  sig.writeUInt32BE(8, wrapAt + 4);
  return out;
}

/**
 * Re-parses a signed file and checks everything an ad-hoc signature must satisfy that can
 * be checked without a Mac: load commands and __LINKEDIT agree with the signature's place,
 * the SuperBlob and CodeDirectory are well-formed, and every page hash and the
 * requirements hash are recomputed and compared. Throws on the first problem.
 * `vendor: true` checks a vendor (Developer ID) signature the same way, minus the ad-hoc
 * specifics: the tests run it on Node's own signed binary to show that this reader
 * agrees with Apple's tools about the layout.
 * @param {Buffer} buf
 * @param {{ vendor?: boolean }} [opts]
 * @returns {{identifier: string, nPages: number, codeLimit: number, flags: number, execSegBase: number, execSegLimit: number, execSegFlags: number, cdhash: string}}
 */
export function verifyAdhoc(buf, { vendor = false } = {}) {
  const h = parseMachO(buf);
  const cs = h.codeSignature;
  if (!cs) throw new Error('no LC_CODE_SIGNATURE');
  const linkedit = segment(h, '__LINKEDIT');
  const text = segment(h, '__TEXT');
  /** @type {(m: string) => never} */
  const fail = (m) => { throw new Error(`ad-hoc signature: ${m}`); };
  if (cs.dataoff % 16) fail(`dataoff ${cs.dataoff} not 16-aligned`);
  if (cs.dataoff + cs.datasize !== buf.length) fail(`signature ends at ${cs.dataoff + cs.datasize}, file at ${buf.length}`);
  if (linkedit.fileoff + linkedit.filesize !== buf.length) fail('__LINKEDIT does not end at the end of the file');
  if (cs.dataoff < linkedit.fileoff) fail('signature is not inside __LINKEDIT');
  if (linkedit.vmsize < linkedit.filesize) fail('__LINKEDIT vmsize < filesize');
  if (h.cmds[h.cmds.length - 1].cmd !== LC_CODE_SIGNATURE) fail('LC_CODE_SIGNATURE is not the last load command');
  const sig = buf.subarray(cs.dataoff);
  if (sig.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) fail('bad SuperBlob magic');
  if (vendor ? sig.readUInt32BE(4) > cs.datasize : sig.readUInt32BE(4) !== cs.datasize) fail('SuperBlob length != datasize');
  const count = sig.readUInt32BE(8);
  const index = new Map();
  for (let i = 0; i < count; i++) index.set(sig.readUInt32BE(12 + i * 8), sig.readUInt32BE(16 + i * 8));
  // Slot 0 holds the CodeDirectory; vendor signatures may put SHA-1 there and SHA-256 in
  // an alternate slot (0x1000+).
  const cdAt = [CSSLOT_CODEDIRECTORY, 0x1000, 0x1001, 0x1002, 0x1003, 0x1004]
    .map((slot) => index.get(slot))
    .find((at) => at !== undefined && sig.readUInt32BE(at) === CSMAGIC_CODEDIRECTORY && sig[at + 37] === CS_HASHTYPE_SHA256);
  const reqAt = index.get(CSSLOT_REQUIREMENTS);
  if (cdAt === undefined || reqAt === undefined) fail('CodeDirectory or Requirements missing from the SuperBlob index');
  const cd = sig.subarray(cdAt);
  if (cd.readUInt32BE(0) !== CSMAGIC_CODEDIRECTORY) fail('bad CodeDirectory magic');
  const version = cd.readUInt32BE(8);
  const flags = cd.readUInt32BE(12);
  const hashOffset = cd.readUInt32BE(16);
  const identOffset = cd.readUInt32BE(20);
  const nSpecial = cd.readUInt32BE(24);
  const nPages = cd.readUInt32BE(28);
  const codeLimit = cd.readUInt32BE(32);
  const [hashSize, hashType, , pageBits] = [cd[36], cd[37], cd[38], cd[39]];
  if (version < CD_VERSION) fail(`CodeDirectory version ${version.toString(16)} has no execSeg`);
  if (!vendor && !(flags & CS_ADHOC)) fail('CodeDirectory is not flagged adhoc');
  if (hashSize !== HASH || hashType !== CS_HASHTYPE_SHA256 || pageBits !== PAGE_BITS) fail('not SHA-256 over 4096-byte pages');
  if (codeLimit !== cs.dataoff) fail(`codeLimit ${codeLimit} != signature offset ${cs.dataoff}`);
  if (nPages !== Math.ceil(codeLimit / PAGE)) fail(`nCodeSlots ${nPages} != pages in codeLimit`);
  const cdLength = cd.readUInt32BE(4);
  if (hashOffset + nPages * HASH !== cdLength) fail('CodeDirectory length does not match its hash slots');
  const identifier = cstr(cd.subarray(identOffset, hashOffset - nSpecial * HASH));
  if (!identifier) fail('empty identifier');
  const execSegBase = Number(cd.readBigUInt64BE(64));
  const execSegLimit = Number(cd.readBigUInt64BE(72));
  const execSegFlags = Number(cd.readBigUInt64BE(80));
  if (execSegBase !== text.fileoff || execSegLimit !== text.filesize) fail('execSeg does not match __TEXT');
  const req = sig.subarray(reqAt, reqAt + sig.readUInt32BE(reqAt + 4));
  if (req.readUInt32BE(0) !== CSMAGIC_REQUIREMENTS) fail('bad Requirements magic');
  if (nSpecial >= CSSLOT_REQUIREMENTS && !cd.subarray(hashOffset - CSSLOT_REQUIREMENTS * HASH, hashOffset - (CSSLOT_REQUIREMENTS - 1) * HASH).equals(sha256(req))) {
    fail('special slot -2 is not the hash of the Requirements blob');
  }
  for (let p = 0; p < nPages; p++) {
    const want = sha256(buf.subarray(p * PAGE, Math.min((p + 1) * PAGE, codeLimit)));
    if (!cd.subarray(hashOffset + p * HASH, hashOffset + (p + 1) * HASH).equals(want)) fail(`page ${p} hash mismatch`);
  }
  const cdhash = sha256(cd.subarray(0, cdLength)).subarray(0, 20).toString('hex');
  return { identifier, nPages, codeLimit, flags, execSegBase, execSegLimit, execSegFlags, cdhash };
}
