import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepUpError } from '../../../src/identity/step-up-errors.js';
import { bindingMethod, checkSameAccount, checkStepUpClaims } from '../../../src/identity/step-up-policy.js';
import { projectRoot } from '../../../src/paths.js';
import { DEMO_USERS } from '../../../src/sandbox/entra/demo-directory.js';

const NOW = 1_800_000_000;
const rules = {
  tenantId: 'tid-1',
  nonce: 'n-1',
  authContext: 'c1',
  maxAgeSeconds: 600,
  nowSeconds: NOW,
  clockSkewSeconds: 120,
};
const good = {
  tid: 'tid-1',
  nonce: 'n-1',
  oid: 'oid-1',
  auth_time: NOW - 30,
  acrs: ['c1', 'c7'],
  preferred_username: 'a@x',
  name: 'A',
};

function reason(claims: Record<string, unknown>): string | undefined {
  try {
    checkStepUpClaims(claims, rules);
    return undefined;
  } catch (err) {
    return (err as StepUpError).reason;
  }
}

describe('checkStepUpClaims', () => {
  it('accepts a fresh MFA sign-in with the context and returns the identity', () => {
    expect(checkStepUpClaims(good, rules)).toEqual({
      oid: 'oid-1',
      tid: 'tid-1',
      upn: 'a@x',
      name: 'A',
      authTime: NOW - 30,
      acrs: ['c1', 'c7'],
    });
  });

  it.each([
    ['other tenant', { tid: 'tid-2' }, 'token-tenant'],
    ['no tid', { tid: undefined }, 'token-tenant'],
    ['nonce mismatch', { nonce: 'n-2' }, 'token-nonce'],
    ['no nonce', { nonce: undefined }, 'token-nonce'],
    ['no oid', { oid: undefined }, 'token-malformed'],
    ['no auth_time', { auth_time: undefined }, 'token-malformed'],
    ['auth_time as a string', { auth_time: String(NOW) }, 'token-malformed'],
    ['auth_time just past the max age', { auth_time: NOW - 601 }, 'auth-too-old'],
    ['auth_time far in the future', { auth_time: NOW + 121 }, 'auth-too-old'],
    ['no acrs', { acrs: undefined }, 'mfa-context-missing'],
    ['other context only', { acrs: ['c2'] }, 'mfa-context-missing'],
    ['acrs as a string, not an array', { acrs: 'c1' }, 'mfa-context-missing'],
  ])('%s -> %s', (_name, change, expected) => {
    expect(reason({ ...good, ...change })).toBe(expected);
  });

  it('auth_time exactly at the max age and within the skew is accepted', () => {
    expect(reason({ ...good, auth_time: NOW - 600 })).toBeUndefined();
    expect(reason({ ...good, auth_time: NOW + 120 })).toBeUndefined();
  });
});

describe('bindingMethod', () => {
  it.each([
    ['production', 'msteams', 'teams-verify-state'],
    ['production', 'webchat', undefined],
    ['production', 'slack', undefined],
    ['sandbox', 'msteams', 'typed-code'],
    ['sandbox', 'emulator', 'typed-code'],
  ] as const)('%s / %s -> %s', (profile, channel, method) => {
    expect(bindingMethod(profile, channel)).toBe(method);
  });
});

describe('checkSameAccount', () => {
  const signIn = { oid: 'ABC-1', tid: 't', upn: '', name: '', authTime: 0, acrs: [] };
  it('accepts the same object id (case-insensitive)', () => {
    expect(() => checkSameAccount(signIn, 'abc-1', 'production')).not.toThrow();
  });
  it('refuses another account', () => {
    expect(() => checkSameAccount(signIn, 'abc-2', 'sandbox')).toThrow(StepUpError);
  });
  it('a chat without identity is acceptable only in the sandbox', () => {
    expect(() => checkSameAccount(signIn, undefined, 'sandbox')).not.toThrow();
    expect(() => checkSameAccount(signIn, undefined, 'production')).toThrow(/step-up refused: no-chat-identity/);
  });
});

describe('sandbox directory', () => {
  it('the Playground mock users and the sandbox Entra users are the same people', () => {
    const yml = readFileSync(path.join(projectRoot(), '.m365agentsplayground.yml'), 'utf8');
    for (const user of DEMO_USERS) {
      expect(yml).toContain(`userPrincipleName: ${user.upn}`);
      expect(yml).toContain(`aadObjectId: ${user.oid}`);
    }
  });
});
