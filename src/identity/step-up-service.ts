// The step-up sign-in, from "start" to a grant: single-use state, PKCE, our own ID-token verification, and binding
// the sign-in to the chat it was started from. Tokens never leave this module; only the grant does.

import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ConversationReference, Storage } from 'botbuilder';
import { formatLocale } from '../i18n/i18n.js';
import type { Profile } from '../profile.js';
import { RecordStore } from '../storage/records.js';
import { isConflict } from '../storage/store.js';
import type { IdTokenVerifier } from './id-token-verifier.js';
import type { SignInClient } from './sign-in-client.js';
import type { SlackBindings } from './slack-bindings.js';
import type { SlackIdentity } from './slack-identity.js';
import { endedByChat, StepUpError } from './step-up-errors.js';
import { type BindingMethod, bindingMethod, checkSameAccount, type VerifiedSignIn } from './step-up-policy.js';
import { bindingId, hmac, sameSecret, secret, sha256, splitToken } from './step-up-secrets.js';
import {
  ATTEMPT_LIFETIME_MS,
  type CallbackOutcome,
  type ChatBinding,
  type Grant,
  MAX_CODE_ATTEMPTS,
  type SignInPurpose,
  type StartOutcome,
  type StepUpAttempt,
} from './step-up-types.js';

export * from './step-up-types.js';

export interface StepUpServiceDeps {
  storage: Storage;
  signIn: SignInClient;
  verifier: IdTokenVerifier;
  profile: Profile;
  publicBaseUrl: string;
  maxAgeSeconds: number;
  /** Sign in with Slack and the (team, user) → Entra bindings: Slack sign-ins bind in the browser. */
  slack?: { identity: SlackIdentity; bindings: SlackBindings };
  now?: () => number;
}

export class StepUpService {
  private readonly attempts: RecordStore<StepUpAttempt>;
  private readonly pending: RecordStore<{ attemptId: string }>;
  private readonly grants: RecordStore<Grant>;
  private readonly now: () => number;

  constructor(private readonly deps: StepUpServiceDeps) {
    this.attempts = new RecordStore(deps.storage, 'stepup/attempt');
    this.pending = new RecordStore(deps.storage, 'stepup/pending');
    this.grants = new RecordStore(deps.storage, 'stepup/grant');
    this.now = deps.now ?? Date.now;
  }

  /** Starts an attempt for this chat (replacing any earlier one): the link the user opens, and how it completes. */
  async begin(
    binding: ChatBinding,
    reference: Partial<ConversationReference>,
    loginHint?: string,
    wish?: SignInPurpose,
  ): Promise<{ url: string; method: BindingMethod }> {
    const method = bindingMethod(this.deps.profile, binding.channelId, Boolean(this.deps.slack));
    if (!method) throw new StepUpError('channel-not-supported');
    const [team, user] = binding.userId.split(':');
    const id = randomUUID();
    const startSecret = secret();
    const attempt: StepUpAttempt = {
      id,
      binding,
      method,
      reference,
      loginHint,
      ...(wish ? { wish } : {}),
      ...(method === 'slack-browser' && team && user ? { slack: { team, user } } : {}),
      createdAt: this.now(),
      expiresAt: this.now() + ATTEMPT_LIFETIME_MS,
      phase: 'created',
      startSecretHash: sha256(startSecret),
      codeAttempts: 0,
    };
    await this.attempts.put(id, attempt);
    await this.endPending(binding, 'attempt-replaced');
    await this.pending.put(bindingId(binding), { attemptId: id });
    return {
      url: `${this.deps.publicBaseUrl}/auth/start?s=${encodeURIComponent(`${id}.${startSecret}`)}`,
      method: attempt.method,
    };
  }

  /**
   * GET /auth/start: single use; returns where the browser goes — the Entra authority, or first Sign in with Slack
   * for a Slack chat (never anywhere else). A Slack chat's link also sets a browser cookie (its hash kept here): the
   * Slack leg, the Entra leg and the confirmation all complete only in the browser holding it.
   */
  async authorizationUrl(startToken: string): Promise<StartOutcome> {
    const { attempt, eTag } = await this.load(startToken, (a) => a.startSecretHash);
    endedByChat(attempt);
    if (attempt.phase !== 'created') throw new StepUpError('state-used');
    if (attempt.method !== 'slack-browser') return { location: await this.entraUrl(attempt, eTag) };
    const slack = this.deps.slack;
    if (!slack || !attempt.slack) throw new StepUpError('channel-not-supported');
    const stateSecret = secret();
    const browserSecret = secret();
    const next: StepUpAttempt = {
      ...attempt,
      phase: 'slack-redirected',
      stateSecretHash: sha256(stateSecret),
      nonce: secret(),
      browserHash: sha256(browserSecret),
    };
    await this.compareAndSet(next, eTag);
    const location = slack.identity.authorizeUrl({
      state: `${attempt.id}.${stateSecret}`,
      nonce: next.nonce as string,
      team: attempt.slack.team,
    });
    return { location, browserSecret };
  }

  /**
   * GET /auth/slack/callback: Slack says who holds the browser. It must be the browser that opened the link and the
   * Slack user the link was made for (a forwarded link fails here); then on to the Entra sign-in, in that browser.
   */
  async completeSlack(query: Record<string, string | undefined>, browserSecret: string | undefined): Promise<string> {
    const { attempt, eTag } = await this.load(query.state ?? '', (a) => a.stateSecretHash);
    endedByChat(attempt);
    if (attempt.phase !== 'slack-redirected' || !attempt.slack || !this.deps.slack) throw new StepUpError('state-used');
    let person: Awaited<ReturnType<SlackIdentity['redeem']>>;
    try {
      if (!sameSecret(browserSecret ?? '', attempt.browserHash)) throw new StepUpError('browser-mismatch');
      if (query.error || !query.code) throw new StepUpError('sign-in-error', { detail: query.error ?? 'no code' });
      person = await this.deps.slack.identity.redeem(query.code, attempt.nonce ?? '');
      if (person.team !== attempt.slack.team || person.user !== attempt.slack.user)
        throw new StepUpError('slack-user-mismatch');
    } catch (err) {
      throw await this.fail(attempt, eTag, err);
    }
    const slack = {
      ...attempt.slack,
      ...(person.name ? { name: person.name } : {}),
      ...(person.teamName ? { teamName: person.teamName } : {}),
    };
    return this.entraUrl({ ...attempt, slack, phase: 'slack-proven' }, eTag);
  }

  /**
   * POST /auth/slack/confirm: the Entra account holder read what is being linked and decided, in the same browser.
   * 'link' binds the Slack user to the account (unless another Slack user holds it already) and grants the chat;
   * 'refuse' ends the attempt and binds nothing.
   */
  async confirmSlack(
    form: { state?: string; decision?: string },
    browserSecret: string | undefined,
  ): Promise<Extract<CallbackOutcome, { kind: 'slack-browser' }>> {
    const { attempt, eTag } = await this.load(form.state ?? '', (a) => a.confirmSecretHash);
    endedByChat(attempt);
    if (attempt.phase !== 'confirming' || !attempt.slack || !attempt.signIn || !this.deps.slack)
      throw new StepUpError('state-used');
    const slack = attempt.slack;
    const signIn = attempt.signIn;
    try {
      if (!sameSecret(browserSecret ?? '', attempt.browserHash)) throw new StepUpError('browser-mismatch');
      if (form.decision !== 'link') throw new StepUpError('binding-refused');
      const claimed = await this.deps.slack.bindings.bind(slack, { tid: signIn.tid, oid: signIn.oid });
      if (claimed === 'taken') throw new StepUpError('entra-bound-elsewhere');
    } catch (err) {
      throw await this.fail(attempt, eTag, err);
    }
    await this.compareAndSet({ ...attempt, phase: 'bound' }, eTag);
    return {
      kind: 'slack-browser',
      attempt,
      grant: await this.grantFor(attempt, signIn, attempt.binding),
      newBinding: true,
    };
  }

  /** Ends the attempt with the refusal (best effort: it may already have moved on) and returns the error to throw. */
  private async fail(attempt: StepUpAttempt, eTag: string, err: unknown): Promise<StepUpError> {
    const refusal = err instanceof StepUpError ? err : new StepUpError('sign-in-error', { cause: err });
    await this.compareAndSet({ ...attempt, phase: 'failed', failure: refusal.reason }, eTag).catch(() => undefined);
    return Object.assign(refusal, { attempt });
  }

  /** The Entra leg: single-use state, nonce and PKCE; the authorize URL with the auth context and language. */
  private async entraUrl(attempt: StepUpAttempt, eTag: string): Promise<string> {
    const stateSecret = secret();
    const pkce = await this.deps.signIn.pkce();
    const next: StepUpAttempt = {
      ...attempt,
      phase: 'redirected',
      stateSecretHash: sha256(stateSecret),
      nonce: secret(),
      pkceVerifier: pkce.verifier,
    };
    await this.compareAndSet(next, eTag);
    return this.deps.signIn.authorizationUrl({
      state: `${attempt.id}.${stateSecret}`,
      nonce: next.nonce as string,
      codeChallenge: pkce.challenge,
      loginHint: attempt.loginHint,
      ...(attempt.wish?.lang ? { uiLocales: formatLocale(attempt.wish.lang).replace('en-GB', 'en-US') } : {}),
      ...(attempt.wish?.helpdesk?.authContext ? { authContext: attempt.wish.helpdesk.authContext } : {}),
    });
  }

  /**
   * GET /auth/callback. On failure the attempt ends and the error carries it, so the chat can be told. A Slack
   * chat's sign-in completes only in the browser that opened its link (`browserSecret`, its cookie): checked before
   * Entra's code is even redeemed.
   */
  async completeSignIn(query: Record<string, string | undefined>, browserSecret?: string): Promise<CallbackOutcome> {
    const { attempt, eTag } = await this.load(query.state ?? '', (a) => a.stateSecretHash);
    endedByChat(attempt);
    if (attempt.phase !== 'redirected') throw new StepUpError('state-used');
    try {
      if (attempt.method === 'slack-browser' && !sameSecret(browserSecret ?? '', attempt.browserHash))
        throw new StepUpError('browser-mismatch');
      if (query.error) {
        const denied =
          query.error === 'access_denied' || /AADSTS500121|AADSTS50074|AADSTS50076/.test(query.error_description ?? '');
        throw new StepUpError(denied ? 'mfa-denied' : 'sign-in-error', { detail: query.error });
      }
      if (!query.code) throw new StepUpError('sign-in-error', { detail: 'no code' });
      const idToken = await this.deps.signIn.redeem({
        code: query.code,
        state: query.state ?? '',
        nonce: attempt.nonce ?? '',
        codeVerifier: attempt.pkceVerifier ?? '',
      });
      const signIn = await this.deps.verifier.verify(idToken, attempt.nonce ?? '', attempt.wish?.helpdesk?.authContext);
      if (attempt.method === 'slack-browser') return await this.bindSlack(attempt, eTag, signIn);
      const code = attempt.method === 'typed-code' ? String(randomInt(0, 1_000_000)).padStart(6, '0') : secret();
      const salt = secret();
      const next: StepUpAttempt = {
        ...attempt,
        phase: 'signed-in',
        signIn,
        codeSalt: salt,
        codeHash: hmac(salt, code).toString('base64url'),
      };
      delete next.pkceVerifier;
      await this.compareAndSet(next, eTag);
      return { kind: attempt.method, attempt: next, code };
    } catch (err) {
      throw await this.fail(attempt, eTag, err);
    }
  }

  /** The user typed the code from the browser into the chat (or Teams sent signin/verifyState). */
  async bind(
    binding: ChatBinding,
    presentedCode: string,
    via: BindingMethod,
    chatAadObjectId?: string,
  ): Promise<Grant> {
    const pointer = await this.pending.get(bindingId(binding));
    const loaded = pointer && (await this.attempts.get(pointer.value.attemptId));
    if (!loaded || loaded.value.phase === 'bound' || loaded.value.phase === 'failed')
      throw new StepUpError('nothing-pending');
    const { value: attempt, eTag } = loaded;
    if (this.now() > attempt.expiresAt) throw new StepUpError('state-expired');
    if (attempt.phase !== 'signed-in' || !attempt.signIn || !attempt.codeSalt) throw new StepUpError('nothing-pending');
    if (attempt.method !== via) throw new StepUpError('binding-method-not-allowed');

    const expected = Buffer.from(attempt.codeHash ?? '', 'base64url');
    const presented = hmac(attempt.codeSalt, presentedCode.trim());
    if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) {
      const attempts = attempt.codeAttempts + 1;
      const exhausted = attempts >= MAX_CODE_ATTEMPTS;
      await this.compareAndSet(
        {
          ...attempt,
          codeAttempts: attempts,
          ...(exhausted ? { phase: 'failed', failure: 'code-attempts-exhausted' } : {}),
        },
        eTag,
      );
      throw new StepUpError(exhausted ? 'code-attempts-exhausted' : 'code-wrong', {
        detail: `${MAX_CODE_ATTEMPTS - attempts} left`,
      });
    }
    try {
      checkSameAccount(attempt.signIn, chatAadObjectId, this.deps.profile);
    } catch (err) {
      await this.compareAndSet({ ...attempt, phase: 'failed', failure: 'wrong-account' }, eTag);
      throw err;
    }
    await this.compareAndSet({ ...attempt, phase: 'bound' }, eTag);
    return this.grantFor(attempt, attempt.signIn, binding);
  }

  /**
   * Slack: the browser showed Sign in with Slack as the link's Slack user and then signed in to Entra. A Slack user
   * already bound to this account goes on at once (no code to type); bound to another account: refused. A NEW
   * binding waits for the account holder's explicit confirmation — unless the account is bound to another Slack
   * user already (refused: its owner or the helpdesk removes that binding first).
   */
  private async bindSlack(attempt: StepUpAttempt, eTag: string, signIn: VerifiedSignIn): Promise<CallbackOutcome> {
    const slack = attempt.slack;
    if (!slack || !this.deps.slack) throw new StepUpError('channel-not-supported');
    const bindings = this.deps.slack.bindings;
    const bound = await bindings.get(slack.team, slack.user);
    if (bound) {
      if (bound.oid.toLowerCase() !== signIn.oid.toLowerCase() || bound.tid !== signIn.tid)
        throw new StepUpError('wrong-account', { detail: 'Slack user bound to another Entra account' });
      await bindings.touch(slack);
      await this.compareAndSet({ ...attempt, phase: 'bound' }, eTag);
      const grant = await this.grantFor(attempt, signIn, attempt.binding);
      return { kind: 'slack-browser', attempt, grant, newBinding: false };
    }
    const owner = await bindings.ownerOf(signIn);
    if (owner && (owner.team !== slack.team || owner.user !== slack.user))
      throw new StepUpError('entra-bound-elsewhere');
    const confirmSecret = secret();
    const next: StepUpAttempt = { ...attempt, phase: 'confirming', signIn, confirmSecretHash: sha256(confirmSecret) };
    delete next.pkceVerifier;
    await this.compareAndSet(next, eTag);
    return { kind: 'slack-confirm', attempt: next, confirmToken: `${attempt.id}.${confirmSecret}` };
  }

  /** The grant for this chat; the attempt is gone afterwards (no copy of the sign-in beyond the grant itself). */
  private async grantFor(attempt: StepUpAttempt, signIn: VerifiedSignIn, binding: ChatBinding): Promise<Grant> {
    const grantedAt = this.now();
    const grant: Grant = {
      ...signIn,
      binding,
      grantedAt,
      expiresAt: Math.min(grantedAt + ATTEMPT_LIFETIME_MS, (signIn.authTime + this.deps.maxAgeSeconds) * 1000),
      ...(attempt.wish?.helpdesk ? { role: 'helpdesk' as const } : {}),
    };
    await this.grants.put(bindingId(binding), grant);
    await this.attempts.delete(attempt.id);
    await this.pending.delete(bindingId(binding));
    return attempt.wish ? { ...grant, wish: attempt.wish } : grant;
  }

  /** The live grant for this chat, if any (expired ones are removed). */
  async grant(binding: ChatBinding): Promise<Grant | undefined> {
    const found = await this.grants.get(bindingId(binding));
    if (!found) return undefined;
    if (this.now() >= found.value.expiresAt) {
      await this.grants.delete(bindingId(binding));
      return undefined;
    }
    return found.value;
  }

  /** Whether this chat has a sign-in waiting for its code. */
  async waitingForCode(binding: ChatBinding): Promise<StepUpAttempt | undefined> {
    const pointer = await this.pending.get(bindingId(binding));
    const attempt = pointer && (await this.attempts.get(pointer.value.attemptId))?.value;
    return attempt && attempt.phase !== 'bound' && attempt.phase !== 'failed' ? attempt : undefined;
  }

  /** Cancel in the chat: the waiting sign-in's link stops working at once (start AND callback), not only its code. */
  async cancel(binding: ChatBinding): Promise<void> {
    await this.endPending(binding, 'attempt-cancelled');
    await this.pending.delete(bindingId(binding));
  }

  /** Ends this chat's live grant at once (a Slack user unlinking their account). */
  async endGrant(binding: ChatBinding): Promise<void> {
    await this.grants.delete(bindingId(binding));
  }

  /** Marks the chat's waiting attempt (if any) as ended by the chat, so its link answers "cancelled"/"replaced". */
  private async endPending(binding: ChatBinding, why: 'attempt-cancelled' | 'attempt-replaced'): Promise<void> {
    const pointer = await this.pending.get(bindingId(binding));
    const found = pointer && (await this.attempts.get(pointer.value.attemptId));
    if (!found || found.value.phase === 'bound' || found.value.phase === 'failed') return;
    try {
      await this.attempts.put(found.value.id, { ...found.value, phase: 'failed', failure: why }, found.eTag);
    } catch (err) {
      // The browser moved the attempt on at the same moment: read again and end it in its new phase.
      if (!isConflict(err)) throw err;
      return this.endPending(binding, why);
    }
  }

  private async load(token: string, hashOf: (a: StepUpAttempt) => string | undefined) {
    const parts = splitToken(token);
    const found = parts && (await this.attempts.get(parts[0]));
    if (!parts || !found || !sameSecret(parts[1], hashOf(found.value))) throw new StepUpError('state-unknown');
    if (this.now() > found.value.expiresAt) throw new StepUpError('state-expired');
    return { attempt: found.value, eTag: found.eTag };
  }

  /** Single use under concurrency: a second writer with the same eTag loses. */
  private async compareAndSet(next: StepUpAttempt, eTag: string): Promise<void> {
    try {
      await this.attempts.put(next.id, next, eTag);
    } catch (err) {
      if (isConflict(err)) throw new StepUpError('state-used', { cause: err });
      throw err;
    }
  }
}
