// Types for targets.mjs.
export const TARGETS: string[];
export const PLUGIN: 'dhakacart';
export const REPO_URL: string;
export function splitTarget(target: string): { os: string; arch: string };
export function binName(target: string): string;
export function archiveName(target: string, version: string): string;
export function releaseUri(tag: string, archive: string): string;
