// Types for macho.mjs.
export const LC_CODE_SIGNATURE: number;
export const CSMAGIC_EMBEDDED_SIGNATURE: number;
export const CSMAGIC_CODEDIRECTORY: number;
export const CSMAGIC_REQUIREMENTS: number;
export const CSMAGIC_BLOBWRAPPER: number;
export const CS_ADHOC: number;
export const PAGE_BITS: number;
export interface Segment { offset: number; name: string; vmaddr: number; vmsize: number; fileoff: number; filesize: number; sections: { name: string; size: number; offset: number }[] }
export interface MachO {
  cputype: number; filetype: number; ncmds: number; sizeofcmds: number;
  cmds: { cmd: number; cmdsize: number; offset: number }[]; segments: Segment[];
  codeSignature: { offset: number; dataoff: number; datasize: number } | null;
}
export function parseMachO(buf: Buffer): MachO;
export function signatureSize(nPages: number, identifier: string): number;
export function adhocSign(input: Buffer, opts?: { identifier?: string }): Buffer;
export function verifyAdhoc(buf: Buffer, opts?: { vendor?: boolean }): {
  identifier: string; nPages: number; codeLimit: number; flags: number;
  execSegBase: number; execSegLimit: number; execSegFlags: number; cdhash: string;
};
