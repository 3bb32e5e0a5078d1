// Types for fixture.mjs.
export const RELEASE_DIR: string;
export function ensureRelease(): string;
export function nodeBinary(target?: string): string;
