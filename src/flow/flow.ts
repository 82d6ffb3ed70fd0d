// The state of one security-info change in one chat, what can happen to it (inputs) and what it asks the world to do
// (effects). Pure data: no botbuilder, no card JSON, no I/O. The transition is in step.ts.
import type { AuditRecord } from '../audit/audit-log.js';
import type { DefaultMethod, PhoneType, SecurityInfo } from '../graph/auth-methods.js';
import type { PlanProgress } from '../graph/plan-progress.js';
import type { ChangeRequest, PlanStep } from '../graph/planner.js';
import type { Lang } from '../i18n/i18n.js';
import type { PhoneNumber, PhoneParse } from '../phone/phone-number.js';
import type { CodeState } from '../possession/code-check.js';
import type { CodeChannel, FlowOptions, NumberForm } from './options.js';
import type { ResultModel, View } from './views.js';

export type { CodeChannel, FlowOptions, NumberForm, OfficePhonePolicy } from './options.js';

export type Stage = 'menu' | 'number' | 'code' | 'confirm' | 'applying' | 'passkey' | 'ended';

/** Who is asking, in which chat: the same triple the step-up grant is bound to. */
export interface ChatRef {
  channelId: string;
  userId: string;
  conversationId: string;
}

/** The verified user (from the step-up grant only: never from a card, a message or a profile). */
export interface FlowUser {
  oid: string;
  upn: string;
  name: string;
}

/** A helpdesk action waiting for the agent's own step-up (never set from a card: only by the helpdesk dialogs). */
export interface HelpdeskWish {
  /** tapVerify: the PERSON's own step-up for a pass request (query = its id); the others are an agent's. */
  action: 'handoff' | 'tap' | 'tapApprove' | 'take' | 'tapVerify' | 'readiness';
  /** The person: their object id, or what the agent typed (a name or an e-mail address). */
  userOid?: string;
  query?: string;
  reason?: string;
  /** The auth context this action needs (a Temporary Access Pass: HELPDESK_AUTH_CONTEXT). */
  authContext?: string;
}

/**
 * The Wish a sign-in carried back with its grant: the step-up keeps it as an opaque continuation (identity knows
 * nothing of the flow), so the flow reads it back here, where its type lives — only ever the Wish its caller passed.
 */
export const carriedWish = (signedIn: { wish?: unknown } | undefined): Wish | undefined =>
  signedIn?.wish as Wish | undefined;

/** What the user asked for in words ("remove my alternate phone"). It only pre-selects a step; it never authorises. */
export interface Wish {
  phone?: PhoneType;
  action?: 'change' | 'add' | 'remove' | 'setDefault';
  /** The language the request was made in: every later message of this change uses it. */
  lang?: Lang;
  /** The user said the phone was lost or stolen: "sign me out everywhere" comes preselected. */
  lost?: boolean;
  /** This sign-in is an agent's, for a helpdesk action: the grant records the helpdesk role. */
  helpdesk?: HelpdeskWish;
  /** The user asked about passkeys or the end of text codes: the passkey set-up comes first after the sign-in. */
  passkey?: boolean;
}

/** The devices the passkey set-up has steps for. */
export const PASSKEY_DEVICES = ['iphone', 'android', 'windows', 'mac', 'key', 'authenticator'] as const;
export type PasskeyDevice = (typeof PASSKEY_DEVICES)[number];

/** Why a person cannot set up a passkey alone (each has its own answer, and the helpdesk). */
export const PASSKEY_PROBLEMS = ['old-phone', 'no-phone', 'fails'] as const;
export type PasskeyProblem = (typeof PASSKEY_PROBLEMS)[number];

/**
 * The passkey set-up: which phishing-resistant methods existed when it began (their ids), the device chosen, the
 * watch for a new one ("I've added it", then re-read every minute for up to 15 minutes), and what was found.
 */
export interface PasskeyState {
  baseline: string[];
  device?: PasskeyDevice;
  watchUntil?: number;
  nextCheckAt?: number;
  added?: { name: string; at: number };
}

/** A notice tried again after a failure: which try, not before when, and the provider request it repeats. */
export interface NoticeRetry {
  attempt?: number;
  notBefore?: number;
  requestId?: string;
  firstSentAt?: number;
}

/** How a call with a code ended, as its events told us. */
export type CallOutcome = 'answered' | 'no-answer' | 'busy' | 'failed';

/** What is reported after a change before its result is shown: the e-mail, the old-number SMS, the sign-out. */
export type NoticeChannel = 'email' | 'sms' | 'revoke';

/** How the input arrived: a press on the flow's own card, or typed text (then the card is posted anew below it). */
export type Via = 'card' | 'text' | 'system';

export interface QueuedEffect {
  id: string;
  effect: Effect;
  /** Deliveries that failed so far: the effect is retried with backoff until it goes through or its time is up. */
  failures?: number;
  /** When the first delivery failed (the retry limit counts from here). */
  firstFailedAt?: number;
  /** Not tried again before this time (ms since epoch). */
  retryAt?: number;
}

export interface Flow {
  id: string;
  chat: ChatRef;
  /** The channel's own address for messages outside a turn (Teams: a ConversationReference). Opaque here. */
  address: unknown;
  user: FlowUser;
  /** The user's IANA time zone as their chat client reports it (times shown and e-mailed in it); UTC when unknown. */
  timeZone?: string;
  /** The chat client's locale ("en-US"): country names and their order, the default country of a new number. */
  locale?: string;
  /** The language every message of this flow is in (chosen once, when the request was made). */
  lang?: Lang;
  options?: FlowOptions;
  stage: Stage;
  phoneType?: PhoneType;
  form?: NumberForm;
  request?: ChangeRequest;
  /** The new number (parsed once, on submit): proven while a code is out, held by the user once written. */
  number?: PhoneNumber;
  /** How the code goes to it, and the call that carries it (its outcome is shown on the code card). */
  channel?: CodeChannel;
  /** How the call carrying code number `sends` ended (shown on the code card). */
  call?: { sends: number; outcome: CallOutcome };
  /** A lost or stolen phone (from the request): "sign me out everywhere" is preselected on the confirm card. */
  lost?: boolean;
  /** Chosen on the confirm card: sign the user out of every session once the change is done. */
  revokeSessions?: boolean;
  /** SHARED_NUMBER_POLICY=warn let a number through that another person has registered (said on confirm, audited). */
  sharedNumber?: boolean;
  /** The new number's country needs the tenant's Entra opt-in before Entra texts or calls it (said on confirm). */
  entraOptIn?: boolean;
  /** The passkey set-up (stage 'passkey'). */
  passkey?: PasskeyState;
  code?: CodeState;
  /** Security info as last read from Graph in this flow (the confirm step reads it fresh). */
  info?: SecurityInfo;
  plan?: { steps: PlanStep[]; before: SecurityInfo; defaultMovedTo?: DefaultMethod; systemPreferredOverrides: boolean };
  progress?: PlanProgress;
  /**
   * Notifications after a change: which are expected, and how each went — 'pending' while a notice that failed is
   * being tried again (provider outage), until it goes out or its time is up.
   */
  notified?: {
    email?: boolean | 'pending';
    sms?: boolean | 'pending';
    revoke?: boolean;
    expectSms: boolean;
    expectRevoke?: boolean;
  };
  /** The result card, shown once every notification has reported (so it never claims one that failed). */
  pendingResult?: ResultModel;
  /** The result card as shown while a notice is still pending: updated when it goes out (or finally does not). */
  shownResult?: ResultModel;
  /** Message id of the flow's live card (updated in place). */
  panel?: string;
  /** Effects stored with the transition that caused them, delivered at least once, in order. */
  outbox: QueuedEffect[];
  /**
   * Ids of the last deliveries (Bot Framework activities) whose transition this record holds: marked in the SAME
   * write as the transition, so a redelivery after a crash before it is processed, and one after it is not.
   */
  seen?: string[];
  seq: number;
  /** Who is delivering the outbox right now, until when (several instances, one deliverer). */
  lease?: { owner: string; until: number };
  startedAt: number;
  updatedAt: number;
  endedAt?: number;
}

/** For subscribers (helpdesk status, metrics). A flow begins when its user is verified, so that is its first event. */
export type FlowEventName =
  | 'verified'
  | 'code-sent'
  | 'code-failed'
  | 'confirmed'
  | 'applied'
  | 'failed'
  | 'cancelled'
  | 'expired'
  | 'passkey-added'
  /** A change notice (detail: email / sms) that did not go out: the helpdesk is asked to tell the person. */
  | 'notice-undelivered';

/** What a channel or a timer tells the flow. Card inputs carry the flow id of the card they came from. */
export type FlowInput =
  | {
      type: 'verified';
      flowId: string;
      chat: ChatRef;
      user: FlowUser;
      address: unknown;
      wish?: Wish;
      timeZone?: string;
      locale?: string;
      lang?: Lang;
      options?: FlowOptions;
    }
  | { type: 'menu'; flowId: string; via: Via }
  | { type: 'editPhone'; flowId: string; phoneType: PhoneType; via: Via }
  | { type: 'removePhone'; flowId: string; phoneType: PhoneType; via: Via }
  | { type: 'setDefault'; flowId: string; method?: DefaultMethod; via: Via }
  | { type: 'submitNumber'; flowId: string; form: NumberForm; channel?: CodeChannel; via: Via }
  | { type: 'submitCode'; flowId?: string; code: string; via: Via }
  | { type: 'resendCode'; flowId: string; via: Via }
  | { type: 'confirm'; flowId: string; revokeSessions?: boolean; via: Via }
  | { type: 'cancel'; flowId?: string; via: Via }
  | { type: 'startOver'; via: Via }
  | { type: 'passkeyStart'; flowId: string; via: Via }
  | { type: 'passkeyDevice'; flowId: string; device: PasskeyDevice; via: Via }
  /** "I've added it" (or "Check again"): re-read the methods now, and watch for up to 15 minutes if not there yet. */
  | { type: 'passkeyAdded'; flowId: string; via: Via }
  /** The sweep's watch tick: one re-read of the methods while the watch runs. */
  | { type: 'passkeyCheck' }
  | { type: 'passkeyHelp'; flowId: string; problem?: PasskeyProblem; via: Via }
  | { type: 'expire' }
  /** The call with code number `sends` ended (from its signed ACS events); news of an older call is dropped. */
  | { type: 'callEnded'; sends: number; outcome: CallOutcome }
  // Results of effects, fed back by the runner in the same commit that retires the effect:
  | { type: 'shown'; messageId: string }
  | { type: 'codeIssued'; code: CodeState }
  | { type: 'codeNotSent'; reason: 'hourly-cap' | 'number-cap' | 'send-failed' }
  | { type: 'planFinished'; progress: PlanProgress }
  | {
      type: 'notified';
      channel: NoticeChannel;
      ok: boolean;
      /** A notice that did not go out and may be tried again: what to send, and its provider request id so far. */
      retry?: {
        effect: Extract<Effect, { kind: 'notifyEmail' | 'notifySms' }>;
        requestId: string;
        firstSentAt: number;
      };
    };

export type FactName = 'info' | 'businessPhones' | 'grant' | 'numberChecks';

/** What the runner read for this input (only what `factsNeeded` asked for). */
export interface Facts {
  info?: SecurityInfo;
  businessPhones?: string[];
  /** A live step-up grant for this chat whose oid is the flow's user. */
  grant?: boolean;
  /** Countries a code may be texted to (undefined: anywhere). */
  smsCountries?: string[];
  /** The submitted number is registered to another person, and what the policy says about that. */
  sharedNumber?: 'refuse' | 'warn';
  /** The submitted number under the flow's rules (parsed once when the number checks are gathered). */
  submitted?: Submitted;
}

/** A submitted number: the phone it is for, how it is to be proven, and its parse under the flow's rules. */
export interface Submitted {
  type: PhoneType;
  channel: CodeChannel | undefined;
  parsed: PhoneParse;
}

export type Effect =
  /** Show a view: replace the message `replace` in place, or post a new one (then `shown` reports its id). */
  | { kind: 'show'; view: View; replace?: string; panel?: boolean }
  /** A step's card that is no longer live: replace it with a button-less one. */
  | { kind: 'retire'; messageId: string }
  /** A code to the new number by SMS or a call; the runner generates it, `codeIssued` brings back only its hash. */
  | { kind: 'sendCode'; to: string; channel: CodeChannel; extension?: string }
  /** Run (or resume) the Graph plan; `planFinished` reports the outcome. */
  | { kind: 'apply' }
  /** `about`: a change made through Proofup (default), or a passkey the person added at Microsoft and Proofup saw. */
  | ({
      kind: 'notifyEmail';
      to: string;
      name: string;
      summary: string;
      at: number;
      about?: 'change' | 'passkey';
    } & NoticeRetry)
  | ({ kind: 'notifySms'; to: string; at: number } & NoticeRetry)
  /** After a change the user asked to be signed out everywhere (Graph revokeSignInSessions); reported as `notified`. */
  | { kind: 'revokeSessions' }
  /** Appended once (the outbox entry's id is the record's id); `notified` is filled in from the flow when set. */
  | { kind: 'audit'; record: Omit<AuditRecord, 'id'>; withNotified?: boolean }
  | { kind: 'event'; name: FlowEventName; at: number; detail?: string }
  /** The end: drop the flow's personal data, keep a tombstone so late submits are answered "finished". */
  | { kind: 'forget' };

export interface Transition {
  flow: Flow | undefined;
  effects: Effect[];
  /** false: nothing to store; the effects are answers to this input only (delivered at once, not queued). */
  changed: boolean;
}

export const IDLE_LIMIT_MS = 15 * 60_000;
