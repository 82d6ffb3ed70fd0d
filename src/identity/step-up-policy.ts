// Pure rules of the step-up: what a verified ID token must say, and which way a sign-in may be bound to a chat.
import type { Profile } from '../profile.js';
import { StepUpError } from './step-up-errors.js';

export interface VerifiedSignIn {
  oid: string;
  tid: string;
  upn: string;
  name: string;
  authTime: number;
  acrs: string[];
}

export interface FreshnessRules {
  tenantId: string;
  nonce: string;
  authContext: string;
  maxAgeSeconds: number;
  nowSeconds: number;
  clockSkewSeconds: number;
}

/** Claims checks that come after signature, issuer, audience and lifetime were verified by jose. */
export function checkStepUpClaims(claims: Record<string, unknown>, rules: FreshnessRules): VerifiedSignIn {
  const str = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
  if (str('tid') !== rules.tenantId) throw new StepUpError('token-tenant');
  if (str('nonce') !== rules.nonce) throw new StepUpError('token-nonce');
  const oid = str('oid');
  if (!oid) throw new StepUpError('token-malformed', { detail: 'no oid' });
  const authTime = claims.auth_time;
  if (typeof authTime !== 'number') throw new StepUpError('token-malformed', { detail: 'no auth_time' });
  if (authTime < rules.nowSeconds - rules.maxAgeSeconds || authTime > rules.nowSeconds + rules.clockSkewSeconds) {
    throw new StepUpError('auth-too-old');
  }
  const acrs = Array.isArray(claims.acrs) ? claims.acrs.filter((v): v is string => typeof v === 'string') : [];
  if (!acrs.includes(rules.authContext)) throw new StepUpError('mfa-context-missing');
  return { oid, tid: rules.tenantId, upn: str('preferred_username') ?? '', name: str('name') ?? '', authTime, acrs };
}

export type BindingMethod = 'teams-verify-state' | 'typed-code' | 'slack-browser';

/**
 * Teams in production: only the Teams auth window + signin/verifyState (the code never passes through the user).
 * Elsewhere, and in the sandbox's Agents Playground (it calls itself msteams but cannot run the Teams auth
 * window), the browser shows a code the user types into the same chat.
 */
export function bindingMethod(profile: Profile, channelId: string, slackSignIn = false): BindingMethod | undefined {
  // Slack: Sign in with Slack proves which Slack user holds the browser, then the Entra sign-in in the same browser.
  if (channelId === 'slack' && slackSignIn) return 'slack-browser';
  if (profile === 'sandbox') return 'typed-code';
  if (channelId === 'msteams') return 'teams-verify-state';
  // No other production channel can vouch for who is chatting.
  return undefined;
}

/**
 * The signed-in account must be the chatting account whenever the channel says who that is (Teams gives the Entra
 * object id). A channel that says nothing is acceptable only in the sandbox, which has no real accounts.
 */
export function checkSameAccount(signIn: VerifiedSignIn, chatAadObjectId: string | undefined, profile: Profile): void {
  if (chatAadObjectId) {
    if (chatAadObjectId.toLowerCase() !== signIn.oid.toLowerCase()) throw new StepUpError('wrong-account');
    return;
  }
  if (profile !== 'sandbox') throw new StepUpError('no-chat-identity');
}
