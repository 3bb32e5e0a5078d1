// postject 1.0.0-alpha.6 ships no types; its library API as scripts/sea/inject.mjs uses it.
declare module 'postject' {
  export function inject(filename: string, resourceName: string, resourceData: Buffer, options?: {
    machoSegmentName?: string; overwrite?: boolean; sentinelFuse?: string;
  }): Promise<void>;
}
