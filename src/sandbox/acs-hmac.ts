// How Azure Communication Services authenticates a request signed with an access key (what its SDKs send): HMAC-SHA256
// over "METHOD\npath?query\nx-ms-date;host;x-ms-content-sha256" with the key, and the body's SHA-256 in its header.
// Used by the sandbox's simulated ACS (and the tests' ACS stand-in) to refuse unsigned or wrongly signed requests.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function acsSignatureOk(req: IncomingMessage, body: string, accessKeyBase64: string): boolean {
  const auth = /Signature=(.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const contentHash = createHash('sha256').update(body).digest('base64');
  if (!auth || req.headers['x-ms-content-sha256'] !== contentHash) return false;
  const toSign = `${req.method}\n${req.url}\n${req.headers['x-ms-date']};${req.headers.host};${contentHash}`;
  const expected = createHmac('sha256', Buffer.from(accessKeyBase64, 'base64')).update(toSign).digest();
  const given = Buffer.from(auth, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
