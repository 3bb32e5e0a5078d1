// Types for archive.mjs.
export interface Entry { name: string; data: Buffer; mode: number }
export interface TarEntry {
  name: string; type: string; size: number; mode: number; uid: number; gid: number; mtime: number;
  linkname: string; magic: string; uname: string; gname: string; data: Buffer;
}
export interface ZipEntry { name: string; mode: number; isDir: boolean; time: number; date: number; madeBy: number; data: Buffer }
export function tar(entries: Entry[], opts: { mtime: number }): Buffer;
export function gzip(data: Buffer, level?: number): Buffer;
export function tarGz(entries: Entry[], opts: { mtime: number; level?: number }): Buffer;
export function readTar(buf: Buffer): TarEntry[];
export function crc32(buf: Uint8Array): number;
export function dosTime(unixSeconds: number): { time: number; date: number };
export function zip(entries: Entry[], opts: { mtime: number; level?: number }): Buffer;
export function readZip(buf: Buffer): ZipEntry[];
