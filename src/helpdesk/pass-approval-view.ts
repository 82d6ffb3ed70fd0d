// What the helpdesk channel shows when a second agent's approval of a Temporary Access Pass is asked, as data both
// channels draw (Teams: cards/tap-approval.json; Slack: Block Kit): who asks for whom, what the agent checked, how the
// person was verified (never the evidence), to whom the pass will go, and — once approved — by whom.
import { type Lang, t } from '../i18n/i18n.js';
import { clockTime } from '../time.js';
import type { PassRequest } from './pass-ledger.js';

export interface PassApprovalView {
  title: string;
  message: string;
  verified: string;
  /** "Approved by … at …", or '' while waiting. */
  approved: string;
  /** The button while waiting. */
  approve?: { title: string; data: Record<string, string> };
}

const WAYS = { 'step-up': 'stepUp', 'verified-id': 'verifiedId', manager: 'manager', attestation: 'other' } as const;

export function passApprovalView(r: PassRequest, lang: Lang, timeZone?: string): PassApprovalView {
  const way = r.verification ? WAYS[r.verification.way] : 'other';
  const at = r.verification ? clockTime(r.verification.at, timeZone, lang) : '';
  return {
    title: t(lang, 'card.tapApproval.title'),
    message: t(lang, 'card.tapApproval.body', {
      agent: r.agent.name,
      name: `${r.user.name} (${r.user.upn})`,
      method: t(lang, 'tap.method', { method: r.attestation?.method ?? 'other' }),
      note: r.attestation?.note ?? '',
      to: r.shownTo === 'agent' ? 'agent' : 'person',
    }),
    verified: t(lang, 'card.tapApproval.verified', { way, name: r.user.name, at }),
    approved: r.approver
      ? t(lang, 'card.tapApproval.approved', { name: r.approver.name, at: clockTime(r.approver.at, timeZone, lang) })
      : '',
    ...(r.approver
      ? {}
      : {
          approve: {
            title: t(lang, 'card.tapApproval.approve'),
            data: { action: 'helpdesk.tapApprove', requestId: r.id, lang },
          },
        }),
  };
}
