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

/** What a person's chat shows of a pass request: a chat where passes are not asked for (Slack) shows only this. */
export type PersonPassPresenter = Pick<
  PassPresenter,
  'askPerson' | 'askManager' | 'tellPerson' | 'showPass' | 'hidePass' | 'tellAgent'
>;

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

/** What each refusal tells the person pressing (the same words in Teams and Slack). */
export const PASS_REFUSALS: Record<PassRefusal, MessageKey> = {
  self: 'chat.tap.self',
  privileged: 'chat.tap.privileged',
  unknown: 'chat.escalationUnknown',
  'not-yours': 'chat.handoff.notYours',
  expired: 'chat.tap.expired',
  closed: 'chat.tap.closed',
  'in-progress': 'chat.tap.inProgress',
  'no-channel': 'chat.tap.noChannel',
  'own-request': 'chat.tap.approvalSelf',
  subject: 'chat.tap.approvalSubject',
  policy: 'chat.tap.failedPolicy',
  forbidden: 'chat.tap.failedForbidden',
  failed: 'chat.tap.failed',
  'lost-deleted': 'chat.tap.lostDeleted',
  'lost-unknown': 'chat.tap.lostUnknown',
  'not-shown': 'chat.tap.notShownDeleted',
  'no-person-chat': 'chat.tap.noPersonChat',
  'wrong-person': 'chat.tap.wrongPerson',
  declined: 'chat.tap.declined',
  'not-shown-pending': 'chat.tap.notShownPending',
  'no-way': 'chat.tap.noWay',
  'no-manager': 'chat.tap.noManager',
  'manager-is-agent': 'chat.tap.managerIsAgent',
  'no-manager-chat': 'chat.tap.noManagerChat',
};
