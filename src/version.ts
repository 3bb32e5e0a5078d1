// Replaced at build time by esbuild's define (scripts/build.mjs); a source run says "dev".
export const VERSION = process.env.DHAKACART_VERSION ?? '0.0.0-dev';
export const COMMIT = process.env.DHAKACART_COMMIT ?? 'unknown';

export function versionLine(): string {
  return `kubectl-dhakacart v${VERSION} (commit ${COMMIT}, node ${process.version})\n`;
}
