// The state of one security-info change in one chat, and its audit record (pure).
import { randomUUID } from 'node:crypto';
import { parsePhoneNumberWithError } from 'libphonenumber-js/max';
import type { AuditRecord } from '../audit/audit-log.js';
import type { PhoneType } from '../graph/auth-methods.js';
import type { ChangeRequest } from '../graph/planner.js';
import { maskPhone } from '../mask.js';
import type { NumberForm } from './security-info-views.js';

export type Stage = 'menu' | 'number' | 'code' | 'confirm' | 'applying';

export interface ChangeFlow {
  id: string;
  oid: string;
  stage: Stage;
  phoneType?: PhoneType;
  form?: NumberForm;
  request?: ChangeRequest;
  e164?: string;
  confirmActivityId?: string;
  updatedAt: number;
}

export function auditRecordFor(
  channel: string,
  flow: ChangeFlow,
  result: AuditRecord['result'],
  at: number,
  reason?: string,
): AuditRecord {
  const request = flow.request;
  const after =
    request?.kind === 'setPhone'
      ? maskPhone(request.number)
      : request?.kind === 'setDefault'
        ? request.method
        : undefined;
  return {
    id: randomUUID(),
    at: new Date(at).toISOString(),
    flowId: flow.id,
    actorOid: flow.oid,
    channel,
    action: request?.kind ?? 'setPhone',
    phoneType: request && request.kind !== 'setDefault' ? request.type : flow.phoneType,
    after,
    steps: [],
    result,
    ...(reason ? { reason } : {}),
  };
}

/** A Graph-format number ("+1 4255550100x12") in E.164 for SMS, without the extension. */
export function e164Of(graphNumber: string): string {
  try {
    return parsePhoneNumberWithError(graphNumber.replace(/x\d+$/, '')).number;
  } catch {
    return graphNumber.replace(/x\d+$/, '').replace(/[^\d+]/g, '');
  }
}
