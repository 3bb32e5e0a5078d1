// What a route gets and gives back, and the small answers every route shares.
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Reconciler } from '../controllers/index';
import { StatusError, badRequest, methodNotAllowed } from '../errors';
import type { SimSettings } from '../settings';
import type { Store } from '../store';

export interface SimRequest { method: string; path: string; query: URLSearchParams; headers: IncomingHttpHeaders; body: Buffer }
export interface PlainResponse { status: number; body: string | Buffer; contentType: string; headers?: Record<string, string> }
export type SimResponse =
  | PlainResponse
  | { stream: (req: IncomingMessage, res: ServerResponse) => void; status?: number };

export interface ApiOptions { serverAddress: () => string; bookmarkIntervalMs: number; controllers: Reconciler[] }

/** What every route works on: the store, the scenario's settings, and the reconcile step after a write. */
export interface RouteContext {
  store: Store;
  settings: SimSettings;
  opts: ApiOptions;
  /** Open watches, ended when the server closes. */
  watches: Set<ServerResponse>;
  /** Runs the controllers: every write that lands (not a dry run) calls it. */
  afterWrite(): void;
}

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
export const json = (status: number, body: unknown, contentType = 'application/json'): PlainResponse => ({ status, body: JSON.stringify(body), contentType });
export const pageNotFound = (): PlainResponse => ({ status: 404, body: '404 page not found\n', contentType: 'text/plain; charset=utf-8' });
export const statusResponse = (e: StatusError): PlainResponse => json(e.code, e.toStatus());
export const methodNotAllowedResponse = (): PlainResponse => statusResponse(methodNotAllowed());

export const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const truthy = (v: string | null) => v === 'true' || v === '1';
export const num = (v: string | null): number | undefined => (v === null || v === '' ? undefined : Number(v));

/** The request body as JSON, refused the way the API server refuses what it cannot decode. */
export function readBody(r: SimRequest): any {
  const ct = String(r.headers['content-type'] ?? '');
  if (/protobuf|cbor/.test(ct)) {
    // No protobuf/CBOR decoder here: client-go falls back to JSON after a 415.
    throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  const text = r.body.toString('utf8');
  if (!text.trim()) throw badRequest('the body of the request was empty');
  return JSON.parse(text);
}
