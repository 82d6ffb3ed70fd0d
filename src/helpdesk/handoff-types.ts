// What a handoff is, as the services and both chats' presenters share it: its reasons and states, the record, how a
// chat shows it, the results of starting and answering one, and how each refusal is told (Teams and Slack alike).
import type { ConversationReference } from 'botbuilder';
import type { Wish } from '../flow/flow.js';
import type { Lang, MessageKey } from '../i18n/i18n.js';
import type { DirectoryPerson } from './helpdesk-graph.js';

export const HANDOFF_REASONS = ['new-number', 'lost-phone', 'add-phone'] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

export type HandoffState =
  /** Stored before the invitation goes out: a crash while posting it leaves a record the person's Start finds. */
  | 'inviting'
  | 'sent'
  | 'opened'
  | 'verified'
  | 'codeSent'
  | 'changed'
  | 'failed'
  | 'cancelled'
  | 'declined'
  | 'expired'
  | 'undeliverable';

/** What the person's own change starts with, for each reason the agent gave (Teams and Slack alike). */
export function handoffWish(reason: HandoffReason, lang: Lang): Wish {
  if (reason === 'lost-phone') return { phone: 'mobile', action: 'change', lost: true, lang };
  if (reason === 'add-phone') return { phone: 'mobile', action: 'add', lang };
  return { phone: 'mobile', action: 'change', lang };
}

export interface Handoff {
  id: string;
  at: number;
  expiresAt: number;
  reason: HandoffReason;
  agent: { oid: string; name: string; lang: Lang };
  /** The agent's chat, where the status card lives. */
  agentRef: Partial<ConversationReference>;
  statusMessageId?: string;
  user: DirectoryPerson;
  userRef?: Partial<ConversationReference>;
  inviteMessageId?: string;
  state: HandoffState;
  /** Why it failed (a flow error code, Graph's answer), never a number or a code. */
  detail?: string;
  updatedAt: number;
}

/** How a channel shows handoffs (the Teams presenter renders Adaptive Cards). */
export interface HandoffPresenter {
  /** The agent's status card: posted when `messageId` is absent, else replaced in place; resolves its id. */
  status(handoff: Handoff, messageId?: string): Promise<string | undefined>;
  /** The invitation in the person's 1:1 chat; resolves its id. */
  invite(handoff: Handoff): Promise<string | undefined>;
  /** The invitation after Start or "I didn't ask for this": its buttons go. */
  closeInvite(handoff: Handoff): Promise<void>;
}

export type StartResult =
  | { ok: true; handoff: Handoff }
  | {
      ok: false;
      why: 'not-configured' | 'unknown-person' | 'self' | 'blocked' | 'no-chat' | 'not-linked';
      person?: DirectoryPerson;
    };

export type AnswerResult =
  | { ok: true; handoff: Handoff }
  | { ok: false; why: 'unknown' | 'not-yours' | 'expired' | 'closed'; handoff?: Handoff };

/** Why a handoff did not start, as the agent is told (Teams and Slack alike). */
export function startRefusalKey(why: Extract<StartResult, { ok: false }>['why']): MessageKey {
  const keys: Record<typeof why, MessageKey> = {
    self: 'chat.handoff.self',
    blocked: 'chat.handoff.blocked',
    'no-chat': 'chat.handoff.noChat',
    'not-configured': 'chat.handoff.notConfigured',
    'not-linked': 'chat.handoff.notLinked',
    'unknown-person': 'chat.handoff.noMatch',
  };
  return keys[why];
}

/** Why the person's answer to an invitation did nothing, as they are told. */
export function answerRefusalKey(why: Extract<AnswerResult, { ok: false }>['why']): MessageKey {
  const keys: Record<typeof why, MessageKey> = {
    'not-yours': 'chat.handoff.notYours',
    expired: 'chat.handoff.expired',
    closed: 'chat.handoff.closed',
    unknown: 'chat.escalationUnknown',
  };
  return keys[why];
}
