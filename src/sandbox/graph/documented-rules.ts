// Microsoft Graph's documented rules for a user's phone methods and default method, as the Graph simulator enforces
// them — written from Microsoft's pages on their own, NOT taken from src/graph/auth-methods.ts (the planner's model):
// a planner mistake then meets a simulator that disagrees, as the real Graph would, and the planner's property tests
// (test/unit/graph/planner.property.test.ts) check plans against these rules, not against the planner's idea of them.
//
// phoneAuthenticationMethod (v1.0: resources/phoneauthenticationmethod, phoneauthenticationmethod-post/-update/-delete):
//   R1 "Only one phone of each type" — POSTing a phone of a type the user has fails (a mobile is PATCHed instead).
//   R2 "A mobile must exist before an alternateMobile can be added."
//   R3 PATCH and DELETE address an existing phone (its fixed id per type); a missing one is 404.
//   R4 "You can't delete the mobile while an alternateMobile exists."
//   R5 "You can't delete a phone that is the user's default MFA method." Change the default first.
//   R6 The phone type never changes (there is no operation for it: add the new type, delete the old).
// signInPreferences (beta: userPreferredMethodForSecondaryAuthentication):
//   R7 The preferred method is one the user has: sms / voiceMobile need the mobile, voiceAlternateMobile the
//      alternate, voiceOffice the office phone, push the Authenticator app, oath a software or app OTP.
//   R8 SMS goes only to the mobile ("only a primary mobile can be used for SMS sign-in"; alternate and office are
//      voice only) — so no 'smsAlternate'/'smsOffice' default exists at all.
//   R9 phoneNumber is "+{country code} {number}x{extension}"; the extension only on an office phone here.
import type { DefaultMethod, Operation, SecurityInfo } from '../../graph/auth-methods.js';

export interface DocumentedState {
  mobile?: string;
  alternateMobile?: string;
  office?: string;
  /** Non-phone methods by Graph's names (microsoftAuthenticator, softwareOath, fido2, windowsHelloForBusiness). */
  others: readonly string[];
  preferred?: string;
}

/** Graph's refusal: its HTTP status and error code, and which documented rule said no. */
export class DocumentedGraphError extends Error {
  constructor(
    readonly status: 400 | 404,
    readonly code: 'badRequest' | 'itemNotFound',
    message: string,
  ) {
    super(message);
  }
}

const NUMBER = /^\+\d{1,3} \d{5,15}$/;
const OFFICE_NUMBER = /^\+\d{1,3} \d{5,15}(x\d{1,10})?$/;

const PHONE_OF_PREFERRED: Record<string, 'mobile' | 'alternateMobile' | 'office' | undefined> = {
  sms: 'mobile',
  voiceMobile: 'mobile',
  voiceAlternateMobile: 'alternateMobile',
  voiceOffice: 'office',
};

function registered(state: DocumentedState, method: string): boolean {
  const phone = PHONE_OF_PREFERRED[method];
  if (phone) return Boolean(state[phone]);
  if (method === 'push') return state.others.includes('microsoftAuthenticator');
  if (method === 'oath')
    return state.others.includes('softwareOath') || state.others.includes('microsoftAuthenticator');
  return false;
}

/** The state after Graph accepted `op`; throws DocumentedGraphError where Graph documents a refusal. */
export function documentedGraph(state: DocumentedState, op: Operation): DocumentedState {
  const refuse = (rule: string, status: 400 | 404 = 400) => {
    throw new DocumentedGraphError(status, status === 404 ? 'itemNotFound' : 'badRequest', rule);
  };
  const badNumber = (type: string, number: string) => !(type === 'office' ? OFFICE_NUMBER : NUMBER).test(number);
  switch (op.op) {
    case 'createPhone':
      if (badNumber(op.type, op.number)) refuse(`R9 Invalid phone number format: ${op.type}.`);
      if (state[op.type]) refuse(`R1 A ${op.type} phone method already exists for this user.`);
      if (op.type === 'alternateMobile' && !state.mobile)
        refuse('R2 A mobile phone must be registered before an alternateMobile phone.');
      return { ...state, [op.type]: op.number };
    case 'updatePhone':
      if (!state[op.type]) refuse(`R3 The ${op.type} phone method was not found.`, 404);
      if (badNumber(op.type, op.number)) refuse(`R9 Invalid phone number format: ${op.type}.`);
      return { ...state, [op.type]: op.number };
    case 'deletePhone': {
      if (!state[op.type]) refuse(`R3 The ${op.type} phone method was not found.`, 404);
      if (op.type === 'mobile' && state.alternateMobile)
        refuse('R4 The mobile phone cannot be deleted while an alternateMobile phone exists.');
      if (state.preferred && PHONE_OF_PREFERRED[state.preferred] === op.type)
        refuse("R5 The user's default authentication method cannot be deleted.");
      const { [op.type]: _gone, ...rest } = state;
      return rest;
    }
    case 'setDefault':
      if (op.method === undefined) {
        const { preferred: _cleared, ...rest } = state;
        return rest;
      }
      if (!registered(state, op.method)) refuse(`R7 The method ${op.method} is not registered for this user.`);
      return { ...state, preferred: op.method };
  }
}

/** How many methods can still answer an MFA prompt (every phone and every other method). */
export function documentedMethodCount(state: DocumentedState): number {
  return [state.mobile, state.alternateMobile, state.office].filter(Boolean).length + state.others.length;
}

/** A stored user's security info as the documentation describes it. */
export function toDocumented(info: SecurityInfo): DocumentedState {
  return {
    ...(info.phones.mobile ? { mobile: info.phones.mobile } : {}),
    ...(info.phones.alternateMobile ? { alternateMobile: info.phones.alternateMobile } : {}),
    ...(info.phones.office ? { office: info.phones.office } : {}),
    others: [...info.others].sort(),
    ...(info.defaultMethod ? { preferred: info.defaultMethod } : {}),
  };
}

/** Back to the stored shape: what Graph does not describe here (system-preferred MFA, the listed methods) kept. */
export function fromDocumented(state: DocumentedState, base: SecurityInfo): SecurityInfo {
  const { defaultMethod: _old, ...rest } = base;
  return {
    ...rest,
    phones: {
      ...(state.mobile ? { mobile: state.mobile } : {}),
      ...(state.alternateMobile ? { alternateMobile: state.alternateMobile } : {}),
      ...(state.office ? { office: state.office } : {}),
    },
    // Phone and default operations never touch the other methods: kept as stored (their order too).
    others: rest.others,
    ...(state.preferred ? { defaultMethod: state.preferred as DefaultMethod } : {}),
  };
}
