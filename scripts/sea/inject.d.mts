// Types for inject.mjs.
export const SEA_RESOURCE: 'NODE_SEA_BLOB';
export const SEA_FUSE: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
export function executableName(target: string, base?: string): string;
export function injectBlob(input: {
  target: string; blob: Buffer; output: string; base?: string;
  strip?: (exe: Buffer, target: string) => Uint8Array | Promise<Uint8Array>;
}): Promise<string>;
