// The step-up's ID-token keys against the simulated Entra ID over HTTPS: a key Entra withdraws stops being trusted
// within the hour (Cache-Control, capped at 1 h), a new key works at once, and a shorter max-age is followed.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_CLIENT_ID, SANDBOX_TENANT_ID } from '../../src/config-model.js';
import { HttpsClient } from '../../src/identity/https-client.js';
import { IdTokenVerifier } from '../../src/identity/id-token-verifier.js';
import { cacheSeconds } from '../../src/identity/remote-key-set.js';
import { EntraSimulator } from '../../src/sandbox/entra/entra-simulator.js';
import { ensureSandboxCertificate } from '../../src/sandbox/entra/tls.js';
import type { IdTokenFault } from '../../src/sandbox/entra/token-signer.js';

let entra: EntraSimulator;
let http: HttpsClient;
let clock = Date.now();
let verifier: IdTokenVerifier;
const MIN = 60_000;

beforeAll(async () => {
  const tls = await ensureSandboxCertificate(mkdtempSync(path.join(os.tmpdir(), 'proofup-keys-')));
  entra = new EntraSimulator(
    tls,
    { clientId: SANDBOX_CLIENT_ID, clientSecret: 's3cret', redirectUris: [] },
    { tenantId: SANDBOX_TENANT_ID },
  );
  await entra.start();
  http = new HttpsClient({ extraCaPem: tls.cert });
});
afterAll(async () => {
  await entra?.stop();
});
beforeEach(() => {
  clock = Date.now();
  entra.keysCacheControl = 'max-age=86400, private';
  verifier = new IdTokenVerifier(http, {
    authorityHost: entra.authorityHost,
    tenantId: SANDBOX_TENANT_ID,
    clientId: SANDBOX_CLIENT_ID,
    authContext: 'c1',
    maxAgeSeconds: 600,
    now: () => clock,
  });
});

/** A valid step-up ID token as of the test clock (optionally signed with the withdrawn key). */
function token(fault?: IdTokenFault): Promise<string> {
  const now = Math.floor(clock / 1000);
  return entra.signer.idToken(
    {
      iss: entra.issuer,
      aud: SANDBOX_CLIENT_ID,
      tid: SANDBOX_TENANT_ID,
      oid: '0a1e0000-0000-4000-8000-000000000020',
      nonce: 'n-1',
      auth_time: now - 5,
      acrs: ['c1'],
      iat: now,
      nbf: now,
      exp: now + 3600,
    },
    fault,
  );
}

describe('ID-token signing keys', () => {
  it('a withdrawn key is refused once an hour has passed, even though Entra said "cache for a day"', async () => {
    await verifier.verify(await token(), 'n-1'); // keys fetched and cached
    await entra.signer.rotate(); // Entra withdraws the old key
    clock += 59 * MIN;
    await expect(verifier.verify(await token({ signWith: 'retired-key' }), 'n-1')).resolves.toBeDefined(); // still cached
    clock += 2 * MIN;
    await expect(verifier.verify(await token({ signWith: 'retired-key' }), 'n-1')).rejects.toMatchObject({
      reason: 'token-signature',
    });
  });

  it('a new key works without waiting for the hour: an unknown kid fetches again (at most every 30 s)', async () => {
    await verifier.verify(await token(), 'n-1');
    await entra.signer.rotate();
    await expect(verifier.verify(await token(), 'n-1')).rejects.toMatchObject({ reason: 'token-signature' }); // cooldown
    clock += 31_000;
    await expect(verifier.verify(await token(), 'n-1')).resolves.toMatchObject({ tid: SANDBOX_TENANT_ID });
  });

  it('a shorter max-age is followed (5 minutes)', async () => {
    entra.keysCacheControl = 'public, max-age=300';
    await verifier.verify(await token(), 'n-1');
    await entra.signer.rotate();
    clock += 6 * MIN;
    await expect(verifier.verify(await token({ signWith: 'retired-key' }), 'n-1')).rejects.toMatchObject({
      reason: 'token-signature',
    });
  });

  it.each([
    ['max-age=86400, private', 86400],
    ['public, s-maxage=60', 60],
    ['no-store', 0],
    [undefined, undefined],
  ])('Cache-Control %j → %s s', (header, seconds) => {
    expect(cacheSeconds(header)).toBe(seconds);
  });
});
