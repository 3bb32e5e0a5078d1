// Types for manifest.mjs.
export const API_VERSION: string;
export const KREW_PLATFORMS: { os: string; arch: string }[];
export const LICENSE_NAMES: string[];
export function versionFromTag(tag: string): string;
export function renderTemplate(template: string, opts: { tag: string; shaOf: (url: string) => string }): string;
export function shaFromDir(dir: string): (url: string) => string;
export function selectorMatches(sel: unknown, labels: Record<string, string>): boolean;
export function archiveKind(buf: Buffer): 'zip' | 'tar.gz' | null;
export interface KrewEntry { name: string; mode: number; dir: boolean; data: Buffer }
export function krewEntries(buf: Buffer): KrewEntry[];
export function krewLayout(entries: KrewEntry[], files?: { from: string; to: string }[] | null): Map<string, KrewEntry>;
export function validateManifest(text: string, opts: { fileName: string; version: string; archiveDir?: string }): string[];
