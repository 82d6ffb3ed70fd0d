// The stored side of Temporary Access Pass requests: their shape, compare-and-set moves between states (fenced by the
// store's eTag, never by a clock), and their audit records. A request's states:
//   attesting → verifying (the person verifies: in their own chat, or with Verified ID on the pass page)
//     → awaiting-approval (a second agent, where required) → [ready: the page fetches the pass] → issuing → issued
//     ↘ failed (declined, wrong person, failed face check, expired)           ↘ failed  ↘ withdrawn (never shown: deleted)
// 'issuing' is written BEFORE Graph is asked and 'issued' (with the pass's id, never its value) right after Graph
// answered, so a crash anywhere leaves a state the sweep can settle (pass-issuing.ts).
import type { ConversationReference } from 'botbuilder';
import type { AuditLog, AuditRecord, HelpdeskEvent } from '../audit/audit-log.js';
import type { Lang } from '../i18n/i18n.js';
import { RecordStore, type Retained } from '../storage/records.js';
import { isConflict, type ProofupStorage } from '../storage/store.js';
import type { DirectoryPerson } from './helpdesk-graph.js';
import type { Presentation } from './verified-id.js';

export const ATTESTATION_METHODS = ['video', 'person', 'manager'] as const;

export interface PassAttestation {
  method: (typeof ATTESTATION_METHODS)[number];
  note: string;
}

export interface PassRequest {
  id: string;
  at: number;
  expiresAt: number;
  agent: { oid: string; name: string; lang: Lang };
  agentRef: Partial<ConversationReference>;
  user: DirectoryPerson;
  state: 'attesting' | 'verifying' | 'awaiting-approval' | 'ready' | 'issuing' | 'issued' | 'failed' | 'withdrawn';
  /** How the person verifies: their own step-up in their chat, or Verified ID with Face Check on the pass page. */
  verifyWay?: 'step-up' | 'verified-id' | 'manager';
  /** manager: who confirms (the person's manager in the directory) and their 1:1 chat. */
  manager?: { oid: string; name: string; ref?: Partial<ConversationReference> };
  /** The pass page (verified-id): the link's token and the first browser that opened it (hashes only). */
  page?: PassPageState;
  attestation?: PassAttestation;
  /** The person's own chat (where they verify and, when verified there, see the pass) and its language. */
  personRef?: Partial<ConversationReference>;
  personLang?: Lang;
  /** Until when the person may verify (a verification request is short-lived). */
  verifyBy?: number;
  /** The verified state: who verified, how, when, until when it counts. Never the evidence itself. */
  verification?: {
    way: 'step-up' | 'verified-id' | 'manager' | 'attestation';
    oid?: string;
    at: number;
    validUntil: number;
    /** verified-id: Face Check's match confidence. */
    score?: number;
  };
  /** Who sees the pass: the person in their chat, the person on the pass page, or the agent (the weaker mode). */
  shownTo?: 'person' | 'page' | 'agent';
  approver?: { oid: string; name: string; at: number };
  approvalPost?: { reference: Partial<ConversationReference>; messageId: string };
  /** While issuing: when Graph was asked, and a token naming this attempt (the fence for its own later moves). */
  issuing?: { since: number; attempt: string };
  /** Graph's id of the pass (never its value): what a withdrawal deletes; Graph's request id for the audit. */
  passId?: string;
  graphRequestId?: string;
  /** The audit reason of the issue: what was attested, who approved, the lifetime. */
  reason?: string;
  /** Where and until when the pass is on screen (the pass itself is never kept). */
  shown?: { messageId?: string; validUntil: number; hideAt: number; hidden: boolean; onScreen?: boolean };
  /** Work still owed after the pass was issued or withdrawn; the sweep finishes it after a crash. */
  owed?: { audit?: boolean; shownAudit?: boolean; notify?: boolean; tellAgent?: string; deletePass?: boolean };
  detail?: string;
}

export interface PassPageState {
  tokenHash: string;
  browserHash?: string;
  /** The current presentation request at Verified ID (only its callbacks count). */
  presentation?: Presentation;
  /** When Authenticator opened the presentation request. */
  retrievedAt?: number;
}

/** Records under `tap/`, with moves that apply only from the state the caller expects. */
export class PassLedger {
  private readonly records: RecordStore<PassRequest>;

  constructor(
    private readonly storage: ProofupStorage,
    private readonly auditLog: AuditLog,
    readonly now: () => number,
    /** Counts each audited event (metrics). */
    private readonly count: (event: HelpdeskEvent) => void = () => {},
  ) {
    this.records = new RecordStore(storage, 'tap');
  }

  async get(id: string): Promise<PassRequest | undefined> {
    return (await this.records.get(id))?.value;
  }

  async getVersioned(id: string) {
    return this.records.get(id);
  }

  async create(request: PassRequest): Promise<void> {
    await this.records.put(request.id, request);
  }

  async ids(): Promise<string[]> {
    return (await this.storage.keys('tap/')).map((k) => k.slice('tap/'.length));
  }

  /** One compare-and-set write; false when someone else wrote since `eTag` was read. */
  async save(request: PassRequest, eTag: string): Promise<boolean> {
    try {
      await this.records.put(request.id, request, eTag);
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /**
   * Moves the request only while `from` holds for what is stored now (re-read after each conflict): the moved
   * request, or undefined when `from` no longer holds — someone else (another press, the sweep) moved it first.
   */
  async move(
    id: string,
    from: (r: PassRequest) => boolean,
    change: (r: PassRequest) => PassRequest,
  ): Promise<PassRequest | undefined> {
    for (;;) {
      const found = await this.records.get(id);
      if (!found || !from(found.value)) return undefined;
      const next = change(found.value);
      if (await this.save(next, found.eTag)) return next;
    }
  }

  /**
   * An audit record. `key` with `at` makes it idempotent — the same key and time twice is one record (a step redone
   * after a crash), in SQLite and in Table storage alike.
   */
  async audit(
    request: Pick<PassRequest, 'id' | 'agent' | 'user'> | { id?: string; agentOid: string; userOid: string },
    event: HelpdeskEvent,
    result: AuditRecord['result'],
    reason: string,
    extra: { key?: string; at?: number; graphRequestId?: string } = {},
  ): Promise<void> {
    const actorOid = 'agent' in request ? request.agent.oid : request.agentOid;
    const subjectOid = 'user' in request ? request.user.oid : request.userOid;
    await this.auditLog.append({
      id: extra.key && request.id ? `${request.id}:${extra.key}` : crypto.randomUUID(),
      at: new Date(extra.at ?? this.now()).toISOString(),
      flowId: request.id ?? '',
      actorOid,
      subjectOid,
      channel: 'msteams',
      action: 'tapIssued',
      event,
      steps: extra.graphRequestId ? [{ op: 'createTemporaryAccessPass', requestId: extra.graphRequestId }] : [],
      result,
      reason,
    });
    this.count(event);
  }
}

/** Temporary Access Pass requests (src/retention.ts collects it). */
export const PASS_RECORDS: readonly Retained[] = [
  {
    prefix: 'tap/',
    lifetimeMs: 30 * 24 * 3_600_000,
    holds:
      "a pass request: agent and person (oid, name, UPN), what was checked, approver, state, Graph's id of the pass",
  },
];
