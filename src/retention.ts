// What Proofup keeps, and for how long. The sweep deletes every record past its lifetime + 1 hour (records are never
// read after their lifetime, so the hour is only slack for clocks and a late sweep). The storage table in docs/operations.md is
// this list; a test checks every record a whole change leaves behind against it.
import { ATTEMPT_LIFETIME_MS } from './identity/step-up-service.js';
import { HOLDER_LIFETIME_MS } from './numbers/number-registry.js';

const HOUR = 3_600_000;
export const RETENTION_SLACK_MS = HOUR;

export interface Retained {
  prefix: string;
  lifetimeMs: number;
  holds: string;
}

export const RETENTION: readonly Retained[] = [
  {
    prefix: 'stepup/attempt/',
    lifetimeMs: ATTEMPT_LIFETIME_MS,
    holds: 'a sign-in in progress: chat ids, PKCE verifier, nonce, code hash; after Entra the name and UPN',
  },
  { prefix: 'stepup/pending/', lifetimeMs: ATTEMPT_LIFETIME_MS, holds: "the chat's waiting sign-in (an attempt id)" },
  { prefix: 'stepup/grant/', lifetimeMs: ATTEMPT_LIFETIME_MS, holds: 'a verified sign-in bound to one chat' },
  { prefix: 'otp/rate/', lifetimeMs: HOUR, holds: 'send times of codes per person (oid) and per number (keyed hash)' },
  {
    prefix: 'limit/',
    lifetimeMs: 24 * HOUR,
    holds: 'times of changes started (per day) and helpdesk requests (per hour) per person (oid)',
  },
  { prefix: 'seen/', lifetimeMs: 24 * HOUR, holds: 'hashes of delivered activity ids (duplicate deliveries)' },
  {
    prefix: 'escalation/',
    lifetimeMs: 30 * 24 * HOUR,
    holds: 'a request for the helpdesk: who, why, masked facts, ticket references, who took it',
  },
  {
    prefix: 'handoff/',
    lifetimeMs: 30 * 24 * HOUR,
    holds: "a handoff: agent and person (oid, name, UPN), reason, status, both chats' references",
  },
  {
    prefix: 'tap/',
    lifetimeMs: 30 * 24 * HOUR,
    holds:
      "a pass request: agent and person (oid, name, UPN), what was checked, approver, state, Graph's id of the pass",
  },
  { prefix: 'handoff-open/', lifetimeMs: 24 * HOUR, holds: "a person's open handoff (its id), for its status card" },
  {
    prefix: 'userchat/',
    lifetimeMs: 90 * 24 * HOUR,
    holds: "a person's 1:1 chat with the bot (conversation reference), where a handoff invitation goes",
  },
  {
    prefix: 'slackbind/',
    lifetimeMs: 180 * 24 * HOUR,
    holds: 'which Entra account (tid, oid) a Slack user (team, user) proved to be, in one browser',
  },
  {
    prefix: 'slackowner/',
    lifetimeMs: 180 * 24 * HOUR,
    holds: 'the one Slack user (team, user) an Entra account (tid, oid) is bound to',
  },
  {
    prefix: 'phoneidx/',
    lifetimeMs: HOLDER_LIFETIME_MS,
    holds: 'shared-number index: keyed hash of a number and the oids holding it',
  },
];
