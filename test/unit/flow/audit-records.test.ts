// A flow's audit record at one moment (src/flow/audit-records.ts): what was asked, the new value masked, who, where.
import { describe, expect, it } from 'vitest';
import { auditOf } from '../../../src/flow/audit-records.js';
import type { Flow } from '../../../src/flow/flow.js';

const NOW = Date.UTC(2026, 11, 3, 9, 30);
const flow = (extra: Partial<Flow> = {}): Flow => ({
  id: 'flow-1',
  chat: { channelId: 'slack', userId: 'U1', conversationId: 'D1' },
  address: {},
  user: { oid: 'oid-alex', upn: 'alex@contoso.test', name: 'Alex Wilber' },
  stage: 'confirm',
  outbox: [],
  seq: 0,
  startedAt: NOW,
  updatedAt: NOW,
  ...extra,
});

describe('the audit record of a flow', () => {
  it.each([
    [
      'a new number: masked, with its phone type',
      { request: { kind: 'setPhone', type: 'alternateMobile', number: '+1 4255550177' }, phoneType: 'mobile' },
      { action: 'setPhone', phoneType: 'alternateMobile', after: '+1 ••• ••• 01 77' },
    ],
    [
      'a new default: the method, the phone type the flow was on',
      { request: { kind: 'setDefault', method: 'push' }, phoneType: 'office' },
      { action: 'setDefault', phoneType: 'office', after: 'push' },
    ],
    [
      'a removal: the phone type, no value after',
      { request: { kind: 'removePhone', type: 'office' } },
      { action: 'removePhone', phoneType: 'office', after: undefined },
    ],
    [
      'nothing asked yet (refused before a request): a phone change of the flow’s type',
      { phoneType: 'mobile' },
      { action: 'setPhone', phoneType: 'mobile', after: undefined },
    ],
  ] as const)('%s', (_name, extra, expected) => {
    const record = auditOf(flow(extra as Partial<Flow>), 'refused', NOW, 'shared-number');
    expect(record).toEqual({
      at: '2026-12-03T09:30:00.000Z',
      flowId: 'flow-1',
      actorOid: 'oid-alex',
      channel: 'slack',
      steps: [],
      result: 'refused',
      reason: 'shared-number',
      ...expected,
    });
    expect(JSON.stringify(record)).not.toContain('4255550177');
  });

  it('no reason: no reason field at all', () => {
    expect(auditOf(flow(), 'done', NOW)).not.toHaveProperty('reason');
  });
});
