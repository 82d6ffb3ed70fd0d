// What a step-up sign-in is, as the service, the chats and the HTTP routes share it: the chat it binds to, the purpose
// its caller gives, the attempt record (single-use secrets as hashes only), the grant it ends in, and what the browser's
// callback leads to.
import type { ConversationReference } from 'botbuilder';
import type { Lang } from '../i18n/i18n.js';
import type { Retained } from '../storage/records.js';
import type { BindingMethod, VerifiedSignIn } from './step-up-policy.js';

export const ATTEMPT_LIFETIME_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;

/** Who is asking, in which chat. A sign-in binds to exactly this triple. */
export interface ChatBinding {
  channelId: string;
  userId: string;
  conversationId: string;
}

/**
 * What a sign-in is for, as its caller describes it (the flow's Wish is one). The step-up reads only the language, the
 * auth context a helpdesk action needs and that it is one; everything else comes back with the grant untouched — an
 * opaque continuation, so identity needs nothing of the flow.
 */
export interface SignInPurpose {
  lang?: Lang;
  helpdesk?: { authContext?: string };
}

export interface Grant extends VerifiedSignIn {
  binding: ChatBinding;
  grantedAt: number;
  expiresAt: number;
  /** What the user asked for when this sign-in began (returned by bind only, never stored with the grant). */
  wish?: SignInPurpose;
  /** 'helpdesk': the sign-in was made for a helpdesk action (an agent's own step-up). */
  role?: 'helpdesk';
}

type Phase =
  | 'created'
  | 'slack-redirected'
  | 'slack-proven'
  | 'redirected'
  | 'signed-in'
  | 'confirming'
  | 'bound'
  | 'failed';

export interface StepUpAttempt {
  id: string;
  binding: ChatBinding;
  method: BindingMethod;
  reference: Partial<ConversationReference>;
  loginHint?: string;
  wish?: SignInPurpose;
  createdAt: number;
  expiresAt: number;
  phase: Phase;
  startSecretHash: string;
  stateSecretHash?: string;
  nonce?: string;
  pkceVerifier?: string;
  signIn?: VerifiedSignIn;
  codeSalt?: string;
  codeHash?: string;
  codeAttempts: number;
  failure?: string;
  /**
   * slack-browser: the Slack user (team, user) this link was made for; Sign in with Slack must show the same (and
   * adds the names shown on the confirm page).
   */
  slack?: { team: string; user: string; name?: string; teamName?: string };
  /** slack-browser: hash of the cookie set in the browser that opened the link; every later step must present it. */
  browserHash?: string;
  /** slack-browser, phase 'confirming': hash of the secret in the confirm page's form. */
  confirmSecretHash?: string;
}

export type CallbackOutcome =
  | { kind: 'typed-code'; attempt: StepUpAttempt; code: string }
  | { kind: 'teams-verify-state'; attempt: StepUpAttempt; code: string }
  | { kind: 'slack-browser'; attempt: StepUpAttempt; grant: Grant; newBinding: boolean }
  /** A new Slack binding waits for the Entra account holder to confirm it (POST /auth/slack/confirm). */
  | { kind: 'slack-confirm'; attempt: StepUpAttempt; confirmToken: string };

/** Where the browser goes next; for a Slack chat also the cookie that ties the later steps to this browser. */
export interface StartOutcome {
  location: string;
  browserSecret?: string;
}

/** What the step-up stores, and for how long (src/retention.ts collects it). */
export const STEP_UP_RECORDS: readonly Retained[] = [
  {
    prefix: 'stepup/attempt/',
    lifetimeMs: ATTEMPT_LIFETIME_MS,
    holds: 'a sign-in in progress: chat ids, PKCE verifier, nonce, code hash; after Entra the name and UPN',
  },
  { prefix: 'stepup/pending/', lifetimeMs: ATTEMPT_LIFETIME_MS, holds: "the chat's waiting sign-in (an attempt id)" },
  { prefix: 'stepup/grant/', lifetimeMs: ATTEMPT_LIFETIME_MS, holds: 'a verified sign-in bound to one chat' },
];
