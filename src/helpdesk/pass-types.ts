// The shapes shared by the pass modules: how a channel shows passes, the refusals and results of each step.
import type { ConversationReference } from 'botbuilder';
import type { MessageKey } from '../i18n/i18n.js';
import type { IssueRefusal, PassIssuingDeps } from './pass-issuing.js';
import type { PassRequest } from './pass-ledger.js';

/** How a channel shows passes and approvals (Teams: Adaptive Cards). */
export interface PassPresenter {
  askApproval(channel: Partial<ConversationReference>, request: PassRequest): Promise<string | undefined>;
  approved(request: PassRequest): Promise<void>;
  /** The pass, to whoever it is for (the person, or the agent in the weaker mode); resolves the message id. */
  showPass(request: PassRequest, pass: string): Promise<string | undefined>;
  hidePass(request: PassRequest): Promise<void>;
  tellAgent: PassIssuingDeps['presenter']['tellAgent'];
  /** The verification request in the person's own chat (Verify it's me / I didn't ask for this); resolves its id. */
  askPerson(request: PassRequest): Promise<string | undefined>;
  /** The confirmation request in the manager's own chat (I confirm it's them / I can't confirm). */
  askManager(request: PassRequest): Promise<string | undefined>;
  /** A sentence to the person's chat. */
  tellPerson(request: PassRequest, key: MessageKey): Promise<void>;
}

export type PassRefusal =
  | IssueRefusal
  | 'self'
  | 'privileged'
  | 'unknown'
  | 'not-yours'
  | 'expired'
  /** Being issued right now (or interrupted by a restart: the sweep settles it and tells the agent). */
  | 'in-progress'
  /** The person has no 1:1 chat with the bot yet, so they cannot be asked to verify. */
  | 'no-person-chat'
  /** Someone other than the person completed the verification. */
  | 'wrong-person'
  /** manager: the directory names no manager, the manager is the asking agent, or has no chat with the bot. */
  | 'no-manager'
  | 'manager-is-agent'
  | 'no-manager-chat'
  /** No way for the person to verify is configured, and the agent's word alone is not accepted. */
  | 'no-way'
  /** The person said they did not ask for this. */
  | 'declined'
  | 'no-channel'
  | 'own-request'
  | 'subject';

export type PassResult =
  | { ok: true; request: PassRequest; next: 'attest' | 'verifying' | 'approval' | 'ready' | 'issued'; link?: string }
  | { ok: false; why: PassRefusal; roles?: string[]; request?: PassRequest };
