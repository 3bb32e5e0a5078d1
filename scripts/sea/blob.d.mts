// Types for blob.mjs.
export interface SeaConfig {
  main: string; output: string; disableExperimentalSEAWarning: true; useSnapshot: false;
  useCodeCache: boolean; execArgv: string[]; execArgvExtension: 'none';
}
export function hashSeedFor(code: Uint8Array): number;
export function seaConfig(input: { main: string; output: string; code: Uint8Array; useCodeCache?: boolean }): { config: SeaConfig; genArgs: string[] };
export function makeBlob(input: { target?: string; code?: Uint8Array; main?: string; useCodeCache?: boolean; node?: string }): Promise<Buffer>;
