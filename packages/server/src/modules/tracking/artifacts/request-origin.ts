import type { IncomingHttpHeaders } from 'node:http';
import { CapstanError } from '../../../core/errors.js';

export interface RequestOriginSource {
  headers: IncomingHttpHeaders;
  /** How the request reached this process: `https` only when Capstan itself terminates TLS. */
  protocol: 'http' | 'https';
}

/** A DNS name (underscores included: container and compose service names use them), IPv4 or [IPv6], and a port. */
const HOST = /^(?:[\w-]+(?:\.[\w-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const PREFIX = /^(?:\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*$/;

/**
 * The URL under which the caller reaches this server, e.g. `https://mlflow.example.com/tracking`,
 * for links the caller must follow back (multipart part-upload URLs).
 *
 * Behind a reverse proxy the socket says nothing useful, so X-Forwarded-Proto, X-Forwarded-Host
 * and X-Forwarded-Prefix win over the protocol and Host header; the first value of a
 * comma-separated list is the one nearest the client. The headers are honoured without a trusted
 * proxy list because the URL only goes back to the same caller: a forged header can only mislead
 * the client that forged it. Values are still validated so a response never carries a URL an
 * attacker shaped into something else (`evil.com/x?`, newlines).
 */
export function externalBaseUrl(request: RequestOriginSource): string {
  const proto = first(request.headers['x-forwarded-proto'])?.toLowerCase();
  const protocol = proto === 'http' || proto === 'https' ? proto : request.protocol;
  const host = first(request.headers['x-forwarded-host']) ?? first(request.headers.host);
  if (host === undefined || !HOST.test(host)) {
    throw new CapstanError('BAD_REQUEST', 'The request has no valid Host header, so upload URLs cannot be built for it.');
  }
  const prefix = (first(request.headers['x-forwarded-prefix']) ?? '').replace(/\/+$/, '');
  if (!PREFIX.test(prefix)) {
    throw new CapstanError('BAD_REQUEST', `Invalid X-Forwarded-Prefix header ${JSON.stringify(prefix)}.`);
  }
  return `${protocol}://${host}${prefix}`;
}

function first(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const head = text?.split(',')[0]?.trim();
  return head === '' ? undefined : head;
}
