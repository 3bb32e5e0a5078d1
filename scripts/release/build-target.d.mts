// Types for build-target.mjs.
export function stripSignature(exe: Buffer, target: string): Buffer;
export function checkBinary(buf: Buffer, target: string, blob?: Buffer): { cdhash: string } | null;
export interface TargetResult { target: string; archive: string; sha256: string; size: number; binSize: number; binSha256: string; seconds: number; cdhash?: string }
export function buildTarget(input: { target: string; blob: Buffer; outDir: string; version: string; mtime: number; level?: number; license?: Buffer }): Promise<TargetResult>;
