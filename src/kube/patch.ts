/** A patch of a Kubernetes object as the API takes it: strategic merge, or JSON Patch (RFC 6902). */
export interface JsonPatchOp { op: 'replace' | 'add' | 'remove' | 'test'; path: string; value?: unknown }

export type Patch =
  | { type: 'strategic'; body: Record<string, unknown> }
  | { type: 'json'; body: JsonPatchOp[] };
