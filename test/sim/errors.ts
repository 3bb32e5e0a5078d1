// Errors as the API server words them: every failure is a `kind: Status` object.
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface StatusDetails { name?: string; group?: string; kind?: string; uid?: string; causes?: { reason?: string; message: string; field?: string }[]; retryAfterSeconds?: number }
export interface KubeStatusBody {
  kind: 'Status'; apiVersion: 'v1'; metadata: Record<string, unknown>; status: 'Failure' | 'Success';
  message?: string; reason?: string; details?: StatusDetails; code: number;
}

export class StatusError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
  }
  toStatus(): KubeStatusBody {
    const s: KubeStatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) s.details = this.details;
    if (!this.reason) delete s.reason;
    return s;
  }
}

/** `pods`, `deployments.apps`: qualified resource → details {group, kind}. */
function split(qr: string): { kind: string; group?: string } {
  const i = qr.indexOf('.');
  return i < 0 ? { kind: qr } : { kind: qr.slice(0, i), group: qr.slice(i + 1) };
}
const det = (qr: string, name: string): StatusDetails => {
  const { kind, group } = split(qr);
  return group ? { name, group, kind } : { name, kind };
};

export const notFound = (qr: string, name: string) => new StatusError(404, 'NotFound', `${qr} "${name}" not found`, det(qr, name));
export const alreadyExists = (qr: string, name: string) => new StatusError(409, 'AlreadyExists', `${qr} "${name}" already exists`, det(qr, name));
export const conflict = (qr: string, name: string) => new StatusError(409, 'Conflict',
  `Operation cannot be fulfilled on ${qr} "${name}": the object has been modified; please apply your changes to the latest version and try again`, det(qr, name));
export const badRequest = (message: string) => new StatusError(400, 'BadRequest', message);
export const invalid = (kind: string, name: string, group: string | undefined, causes: { field: string; message: string; type?: string }[]) =>
  new StatusError(422, 'Invalid', `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join(', ')}`,
    { name, ...(group ? { group } : {}), kind, causes: causes.map((c) => ({ reason: c.type ?? 'FieldValueInvalid', message: c.message, field: c.field })) });
export const expired = (message: string) => new StatusError(410, 'Expired', message);
export const methodNotAllowed = () => new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
export const unauthorized = () => new StatusError(401, 'Unauthorized', 'Unauthorized');
export const forbidden = (user: string, verb: string, qr: string, name: string | undefined, group: string, namespace: string | undefined, sub?: string) => {
  const res = sub ? `${split(qr).kind}/${sub}` : split(qr).kind;
  const who = name ? `${qr} "${name}" is forbidden` : `${qr} is forbidden`;
  const where = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
  return new StatusError(403, 'Forbidden', `${who}: User "${user}" cannot ${verb} resource "${res}" in API group "${group}"${where}`, det(qr, name ?? ''));
};
export const unsupportedMediaType = (ct: string) => new StatusError(415, 'UnsupportedMediaType',
  `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json` + (ct ? '' : ''));
export const serviceUnavailable = (message: string) => new StatusError(503, 'ServiceUnavailable', message);
export const internal = (message: string) => new StatusError(500, 'InternalError', `Internal error occurred: ${message}`);
