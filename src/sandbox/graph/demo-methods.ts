import { SANDBOX_HELPDESK_GROUP_ID } from '../../config-model.js';
import type { SecurityInfo } from '../../graph/auth-methods.js';
import { DEMO_USERS } from '../entra/demo-directory.js';

/** Starting security info of the sandbox people, chosen so every rule shows up somewhere. */
export function demoSecurityInfo(): Map<string, SecurityInfo> {
  const [alex, megan, adele, isaiah, patti] = DEMO_USERS.map((u) => u.oid);
  return new Map<string, SecurityInfo>([
    // The everyday case: a mobile for SMS, plus the Authenticator app.
    [
      alex as string,
      {
        phones: { mobile: '+1 4255550100' },
        others: ['microsoftAuthenticator'],
        listed: [
          { kind: 'microsoftAuthenticator', name: 'Pixel 8' },
          { kind: 'email', name: 'alex.wilber@fabrikam.example' },
        ],
        defaultMethod: 'sms',
        systemPreferredEnabled: false,
      },
    ],
    // All three phones; the alternate keeps the mobile from being deleted.
    [
      megan as string,
      {
        phones: { mobile: '+44 7400123456', alternateMobile: '+44 7400654321', office: '+44 2079460000x204' },
        others: [],
        defaultMethod: 'voiceMobile',
        systemPreferredEnabled: false,
      },
    ],
    // Only one method: removing it must be refused.
    [
      adele as string,
      { phones: { mobile: '+49 17612345678' }, others: [], defaultMethod: 'sms', systemPreferredEnabled: false },
    ],
    // No phone yet: adding an alternate first must be refused.
    [
      isaiah as string,
      {
        phones: {},
        others: ['microsoftAuthenticator', 'windowsHelloForBusiness', 'softwareOath'],
        listed: [
          { kind: 'microsoftAuthenticator', name: 'iPhone 15' },
          { kind: 'windowsHelloForBusiness', name: 'ISAIAH-LAPTOP' },
          { kind: 'softwareOath' },
        ],
        defaultMethod: 'push',
        systemPreferredEnabled: false,
      },
    ],
    // System-preferred MFA on: a chosen default has no visible effect.
    [
      patti as string,
      {
        phones: { office: '+33 144556677x12' },
        others: ['fido2'],
        listed: [
          { kind: 'fido2', name: 'YubiKey 5C NFC' },
          // Valid for the next 8 hours of the sandbox run (onboarding pass).
          { kind: 'temporaryAccessPass', until: Date.now() + 8 * 3_600_000 },
        ],
        defaultMethod: 'voiceOffice',
        systemPreferredEnabled: true,
      },
    ],
  ]);
}

/** Directory business phones (user.businessPhones): the numbers an office phone may be set to. */
export function demoBusinessPhones(): Map<string, string[]> {
  const [alex, megan, adele, isaiah, patti] = DEMO_USERS.map((u) => u.oid) as string[];
  return new Map([
    [alex as string, ['+1 425 555 0199']],
    [megan as string, ['+44 20 7946 0000']],
    [adele as string, []],
    [isaiah as string, ['+1 206 555 0142']],
    [patti as string, ['+33 1 44 55 66 77']],
  ]);
}

/** Directory usage locations (user.usageLocation, ISO 3166): the country a new number card pre-selects. */
export function demoUsageLocations(): Map<string, string> {
  const [alex, megan, adele, isaiah, patti] = DEMO_USERS.map((u) => u.oid) as string[];
  return new Map([
    [alex as string, 'US'],
    [megan as string, 'GB'],
    [adele as string, 'DE'],
    [isaiah as string, 'CA'],
    [patti as string, 'FR'],
  ]);
}

/** Directory roles held (roleTemplateId, displayName): Isaiah is a Security Administrator, so the helpdesk may not give
 *  him a Temporary Access Pass. */
export function demoDirectoryRoles(): Map<string, { roleTemplateId: string; displayName: string }[]> {
  const isaiah = DEMO_USERS[3]?.oid as string;
  return new Map([
    [isaiah, [{ roleTemplateId: '194ae4cb-b126-40b2-bd5b-6091b380977d', displayName: 'Security Administrator' }]],
  ]);
}

/** Members of the sandbox's helpdesk group (SANDBOX_HELPDESK_GROUP_ID): Alex (the Playground user) and Megan. */
export function demoGroups(): Map<string, Set<string>> {
  const [alex, megan] = DEMO_USERS.map((u) => u.oid) as string[];
  return new Map([[SANDBOX_HELPDESK_GROUP_ID, new Set([alex as string, megan as string])]]);
}
