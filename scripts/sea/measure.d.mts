// Types for measure.mjs.
export function medians(commands: Record<string, string[]>, runs?: number): Record<string, number>;
