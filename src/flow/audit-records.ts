// The audit record of a flow at one moment (pure). Numbers masked; the id is given by the outbox entry that appends
// it, so a redelivered record is recognised and appended once.
import type { AuditRecord } from '../audit/audit-log.js';
import { displayPhone } from '../mask.js';
import type { Flow } from './flow.js';

export type AuditDraft = Omit<AuditRecord, 'id'>;

export function auditOf(flow: Flow, result: AuditRecord['result'], now: number, reason?: string): AuditDraft {
  const request = flow.request;
  const after =
    request?.kind === 'setPhone'
      ? displayPhone(request.number)
      : request?.kind === 'setDefault'
        ? request.method
        : undefined;
  return {
    at: new Date(now).toISOString(),
    flowId: flow.id,
    actorOid: flow.user.oid,
    channel: flow.chat.channelId,
    action: request?.kind ?? 'setPhone',
    phoneType: request && request.kind !== 'setDefault' ? request.type : flow.phoneType,
    after,
    steps: [],
    result,
    ...(reason ? { reason } : {}),
  };
}
