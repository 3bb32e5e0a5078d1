// Types for bundle.mjs (so TypeScript tests can import it under `npm run typecheck`).
import type { BuildOptions, BuildResult } from 'esbuild';

export interface BundleResult { code: Buffer; sha256: string; outfile?: string; version: string; commit: string }
export interface BundleInput { entry?: string; version?: string; commit?: string; minify?: boolean }
export function packageVersion(): string;
export function gitCommit(): string;
export function bundleOptions(input?: BundleInput): BuildOptions & { write: false };
export function bundle(input?: BundleInput & { outfile?: string }): Promise<BundleResult>;
export function checkBundle(result: BuildResult): void;
export function sha256(buf: Uint8Array): string;
export function writeAtomic(file: string, data: string | Uint8Array, mode?: number): void;
