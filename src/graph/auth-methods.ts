// The part of a user's Entra authentication methods that Proofup reads and changes, and Graph's rules for it
// (DESIGN §4, reference/graph-and-step-up.md). Pure: the planner plans with these rules; the Graph simulator enforces
// them; property tests check one against the other.
import type { PhoneType } from '../phone/phone-number.js';

export type { PhoneType } from '../phone/phone-number.js';

export const PHONE_METHOD_IDS: Record<PhoneType, string> = {
  mobile: '3179e48a-750b-4051-897c-87b9720928f7',
  alternateMobile: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  office: 'e37fc753-ff3b-4958-9484-eaa9425c82bc',
};

export const PHONE_TYPES: PhoneType[] = ['mobile', 'alternateMobile', 'office'];

/** signInPreferences.userPreferredMethodForSecondaryAuthentication (beta). */
export type DefaultMethod = 'push' | 'oath' | 'voiceMobile' | 'voiceAlternateMobile' | 'voiceOffice' | 'sms';
export const DEFAULT_METHODS: DefaultMethod[] = [
  'push',
  'oath',
  'sms',
  'voiceMobile',
  'voiceAlternateMobile',
  'voiceOffice',
];

/** Methods Proofup does not change but must count (a user with an Authenticator app is never left without MFA). */
export type OtherMethod = 'microsoftAuthenticator' | 'softwareOath' | 'fido2' | 'windowsHelloForBusiness';

/** Every non-phone method the security-info card lists, read-only (Proofup changes phones only). */
export type ListedKind =
  | OtherMethod
  | 'email'
  | 'temporaryAccessPass'
  | 'hardwareOath'
  | 'platformCredential'
  | 'qrCodePin'
  | 'external';

export interface ListedMethod {
  kind: ListedKind;
  /** Graph's id of the method (tells a newly added passkey from the ones already there). */
  id?: string;
  /** When it was registered (createdDateTime, ms since epoch), where Graph says. */
  createdAt?: number;
  /** The device or key name Graph gives (displayName), or the masked e-mail address. */
  name?: string;
  /** Temporary Access Pass: when it stops working (ms since epoch). */
  until?: number;
}

/** Graph's @odata.type of each listed kind (phoneAuthenticationMethod and passwordAuthenticationMethod aside). */
export const LISTED_ODATA: Record<ListedKind, string> = {
  microsoftAuthenticator: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  softwareOath: '#microsoft.graph.softwareOathAuthenticationMethod',
  fido2: '#microsoft.graph.fido2AuthenticationMethod',
  windowsHelloForBusiness: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
  email: '#microsoft.graph.emailAuthenticationMethod',
  temporaryAccessPass: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
  hardwareOath: '#microsoft.graph.hardwareOathAuthenticationMethod',
  platformCredential: '#microsoft.graph.platformCredentialAuthenticationMethod',
  qrCodePin: '#microsoft.graph.qrCodePinAuthenticationMethod',
  external: '#microsoft.graph.externalAuthenticationMethod',
};

export const MFA_CAPABLE_OTHERS: readonly OtherMethod[] = [
  'microsoftAuthenticator',
  'softwareOath',
  'fido2',
  'windowsHelloForBusiness',
];

export interface SecurityInfo {
  phones: Partial<Record<PhoneType, string>>;
  /** Methods that can answer an MFA prompt (counted so nobody is left without one). */
  others: OtherMethod[];
  /** Every non-phone method registered, for display (absent in older stored records). */
  listed?: ListedMethod[];
  defaultMethod?: DefaultMethod;
  systemPreferredEnabled: boolean;
  /** The user's usage location (ISO 3166, from the directory): the country a new number most likely has. */
  usageLocation?: string;
}

export type Operation =
  | { op: 'createPhone'; type: PhoneType; number: string }
  | { op: 'updatePhone'; type: PhoneType; number: string }
  | { op: 'deletePhone'; type: PhoneType }
  | { op: 'setDefault'; method: DefaultMethod | undefined };

/** Graph's error for a request that breaks a rule (status and code as Graph answers). */
export class GraphRuleError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GraphRuleError';
  }
}

const GRAPH_NUMBER = /^\+\d{1,3} \d{4,15}$/;
const GRAPH_OFFICE_NUMBER = /^\+\d{1,3} \d{4,15}(x\d{1,10})?$/;

/** Which phone a default method uses, if any. */
export function phoneOfDefault(method: DefaultMethod | undefined): PhoneType | undefined {
  if (method === 'sms' || method === 'voiceMobile') return 'mobile';
  if (method === 'voiceAlternateMobile') return 'alternateMobile';
  if (method === 'voiceOffice') return 'office';
  return undefined;
}

/** Whether this default method is backed by a registered method. */
export function isUsableDefault(info: SecurityInfo, method: DefaultMethod): boolean {
  const phone = phoneOfDefault(method);
  if (phone) return Boolean(info.phones[phone]);
  if (method === 'push') return info.others.includes('microsoftAuthenticator');
  return info.others.includes('softwareOath') || info.others.includes('microsoftAuthenticator');
}

/** Methods that can satisfy an MFA prompt (FIDO2 and WHfB count; they just cannot be a "default" here). */
export function usableMethodCount(info: SecurityInfo): number {
  return PHONE_TYPES.filter((t) => info.phones[t]).length + info.others.length;
}

export function validNumber(type: PhoneType, number: string): boolean {
  return (type === 'office' ? GRAPH_OFFICE_NUMBER : GRAPH_NUMBER).test(number);
}

/** Applies one operation as Graph would, or throws the error Graph would answer. Never mutates its input. */
export function applyOperation(info: SecurityInfo, operation: Operation): SecurityInfo {
  const phones = { ...info.phones };
  switch (operation.op) {
    case 'createPhone': {
      const { type, number } = operation;
      if (!validNumber(type, number))
        throw new GraphRuleError(400, 'badRequest', `Invalid phone number format: ${type}.`);
      if (phones[type])
        throw new GraphRuleError(400, 'badRequest', `A ${type} phone method already exists for this user.`);
      if (type === 'alternateMobile' && !phones.mobile) {
        throw new GraphRuleError(
          400,
          'badRequest',
          'A mobile phone must be registered before an alternateMobile phone.',
        );
      }
      phones[type] = number;
      return { ...info, phones };
    }
    case 'updatePhone': {
      const { type, number } = operation;
      if (!phones[type]) throw new GraphRuleError(404, 'itemNotFound', `The ${type} phone method was not found.`);
      if (!validNumber(type, number))
        throw new GraphRuleError(400, 'badRequest', `Invalid phone number format: ${type}.`);
      phones[type] = number;
      return { ...info, phones };
    }
    case 'deletePhone': {
      const { type } = operation;
      if (!phones[type]) throw new GraphRuleError(404, 'itemNotFound', `The ${type} phone method was not found.`);
      if (type === 'mobile' && phones.alternateMobile) {
        throw new GraphRuleError(
          400,
          'badRequest',
          'The mobile phone cannot be deleted while an alternateMobile phone exists.',
        );
      }
      if (phoneOfDefault(info.defaultMethod) === type) {
        throw new GraphRuleError(400, 'badRequest', "The user's default authentication method cannot be deleted.");
      }
      delete phones[type];
      return { ...info, phones };
    }
    case 'setDefault': {
      if (operation.method && !isUsableDefault(info, operation.method)) {
        throw new GraphRuleError(400, 'badRequest', `The method ${operation.method} is not registered for this user.`);
      }
      return { ...info, defaultMethod: operation.method };
    }
  }
}

/** The rules every stored state satisfies (for generators and assertions). */
export function isConsistent(info: SecurityInfo): boolean {
  if (info.phones.alternateMobile && !info.phones.mobile) return false;
  if (info.defaultMethod && !isUsableDefault(info, info.defaultMethod)) return false;
  return PHONE_TYPES.every((t) => info.phones[t] === undefined || validNumber(t, info.phones[t] as string));
}
