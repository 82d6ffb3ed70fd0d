// How a person's registered methods (Graph userRegistrationDetails.methodsRegistered) count against the end of text
// and call codes — examples written from Graph's method names and Microsoft's definition of phishing-resistant, not
// from the classifier's own tables.
import { describe, expect, it } from 'vitest';
import { daysLeft, ReadinessTally, readinessOf } from '../../../src/readiness/registration-report.js';

describe('readinessOf', () => {
  it.each([
    [['passKeySynced'], 'phishing-resistant'],
    [['passKeyDeviceBoundAuthenticator', 'mobilePhone'], 'phishing-resistant'],
    [['windowsHelloForBusiness'], 'phishing-resistant'],
    [['fido2SecurityKey', 'email'], 'phishing-resistant'],
    [['macOsSecureEnclaveKey'], 'phishing-resistant'],
    [['mobilePhone'], 'phone-only'],
    [['mobilePhone', 'alternateMobilePhone', 'officePhone', 'email'], 'phone-only'],
    // A pass or a security question is no second factor: still only a phone.
    [['officePhone', 'temporaryAccessPass', 'securityQuestion'], 'phone-only'],
    // Phone sign-in with Authenticator is MFA but not phishing-resistant.
    [['microsoftAuthenticatorPasswordless', 'mobilePhone'], 'other-mfa'],
    [['softwareOneTimePasscode'], 'other-mfa'],
    [['hardwareOneTimePasscode', 'mobilePhone'], 'other-mfa'],
    [[], 'no-mfa'],
    [['email', 'securityQuestion'], 'no-mfa'],
  ])('%j → %s', (methods, expected) => {
    expect(readinessOf({ id: 'x', methodsRegistered: methods as string[] })).toBe(expected);
  });

  it('a person without methodsRegistered has no MFA', () => {
    expect(readinessOf({ id: 'x' })).toBe('no-mfa');
  });
});

describe('ReadinessTally', () => {
  it('counts everyone and the admins among them', () => {
    const tally = new ReadinessTally();
    tally.add({ id: '1', methodsRegistered: ['mobilePhone'], isAdmin: true });
    tally.add({ id: '2', methodsRegistered: ['mobilePhone'] });
    tally.add({ id: '3', methodsRegistered: [], isAdmin: true });
    tally.add({ id: '4', methodsRegistered: ['passKeySynced'], isAdmin: true });
    expect(tally.summary()).toEqual({
      total: 4,
      counts: { 'phishing-resistant': 1, 'phone-only': 2, 'other-mfa': 0, 'no-mfa': 1 },
      admins: { total: 3, phoneOnly: 1, noMfa: 1 },
    });
  });
});

describe('daysLeft', () => {
  it('counts whole days to 1 February and 1 July 2027, and 0 once they passed', () => {
    expect(daysLeft(Date.UTC(2026, 11, 2, 12))).toEqual({ users: 61, admins: 211 });
    expect(daysLeft(Date.UTC(2027, 1, 1))).toEqual({ users: 0, admins: 150 });
    expect(daysLeft(Date.UTC(2028, 0, 1))).toEqual({ users: 0, admins: 0 });
  });
});
