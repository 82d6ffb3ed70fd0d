// What Proofup keeps, and for how long: every kind of record is declared by the module that writes it (next to its
// code, with its own lifetime); this list only collects them for the sweep, which deletes every record past its
// lifetime + 1 hour (records are never read after their lifetime, so the hour is only slack for clocks and a late
// sweep). docs/operations.md's storage table states the same; a test checks that every kind of record the code writes
// is here (or kept on purpose), and another that a whole change leaves nothing else behind.

import { CAMPAIGN_RECORDS } from './helpdesk/campaigns.js';
import { ESCALATION_RECORDS } from './helpdesk/escalations.js';
import { HANDOFF_RECORDS } from './helpdesk/handoffs.js';
import { PASS_RECORDS } from './helpdesk/pass-ledger.js';
import { SLACK_BINDING_RECORDS } from './identity/slack-bindings.js';
import { STEP_UP_RECORDS } from './identity/step-up-types.js';
import { LIMIT_RECORDS } from './limits/person-limits.js';
import { NUMBER_INDEX_RECORDS } from './numbers/number-registry.js';
import { CODE_RECORDS } from './possession/one-time-codes.js';
import { DEDUPE_RECORDS } from './storage/dedupe.js';
import type { Retained } from './storage/records.js';

export type { Retained } from './storage/records.js';

export const RETENTION: readonly Retained[] = [
  ...STEP_UP_RECORDS,
  ...CODE_RECORDS,
  ...LIMIT_RECORDS,
  ...DEDUPE_RECORDS,
  ...ESCALATION_RECORDS,
  ...HANDOFF_RECORDS,
  ...PASS_RECORDS,
  ...SLACK_BINDING_RECORDS,
  ...NUMBER_INDEX_RECORDS,
  ...CAMPAIGN_RECORDS,
];

/** Kinds kept on purpose (no lifetime): configuration-like, no personal data. Flows have their own rules (sweeper). */
export const KEPT: readonly string[] = [
  'flow/',
  'helpdesk/',
  'msteams/users/',
  // Slack installations (sealed bot tokens): kept while the app is installed, deleted on uninstall.
  'slackinstall/',
];
