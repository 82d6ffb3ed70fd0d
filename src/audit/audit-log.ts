// Append-only audit of every attempt and outcome. SQLite table with no UPDATE or DELETE path in code.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export const HELPDESK_EVENTS = [
  'requested',
  'verification-sent',
  'verified',
  'verification-failed',
  'approved',
  'issued',
  'shown',
  'hidden',
  'deleted',
  'expired',
  /** Graph refused or never answered: no pass (or the one created was deleted: 'deleted'). */
  'failed',
] as const;
export type HelpdeskEvent = (typeof HELPDESK_EVENTS)[number];

export interface AuditRecord {
  id: string;
  at: string;
  flowId: string;
  actorOid: string;
  /** Whose security info or request it is, when that is not the actor (helpdesk actions). */
  subjectOid?: string;
  channel: string;
  /**
   * 'cardSubmit': a press that was refused before it reached any flow (e.g. another user's card); 'escalated': a user
   * asked for the helpdesk (flowId = the escalation id); 'escalationTaken': an agent took it; 'handoffStarted' /
   * 'handoffDeclined': an agent handed a person to the bot / the person said they did not ask (flowId = the handoff
   * id); 'tapIssued': an agent issued a Temporary Access Pass (never the pass itself); 'slackBound' /
   * 'slackBindRefused' / 'slackUnbound': a Slack user was linked to the actor's Entra account, the account holder
   * refused the link, or the link was removed (flowId = the sign-in attempt id; `slackUser` names the Slack side);
   * 'limitReached': a per-person limit refused a new change or a request for the helpdesk (reason: the limit);
   * 'passkeyAdded': Proofup saw a new phishing-resistant method after its passkey set-up (after: its name);
   * 'notified': a change notice that was still being tried when the change was audited went out later ('done') or
   * was given up at DELIVERY_RETRY_HOURS ('failed'); reason names the notice (email / sms); 'readinessReport': a
   * helpdesk member read the readiness counts (or was refused: not a member).
   */
  action:
    | 'setPhone'
    | 'removePhone'
    | 'setDefault'
    | 'cardSubmit'
    | 'escalated'
    | 'escalationTaken'
    | 'handoffStarted'
    | 'handoffDeclined'
    | 'tapIssued'
    | 'slackBound'
    | 'slackBindRefused'
    | 'slackUnbound'
    | 'limitReached'
    | 'passkeyAdded'
    | 'notified'
    | 'readinessReport';
  phoneType?: string;
  /** Masked, e.g. "+1 ••• ••• 01 00" or "sms". */
  before?: string;
  after?: string;
  steps: { op: string; requestId?: string }[];
  result: 'done' | 'rolled-back' | 'rollback-failed' | 'refused' | 'cancelled' | 'expired' | 'failed';
  reason?: string;
  /**
   * Temporary Access Pass records: one fixed event name per step, in the manner of Entra Account Recovery (also the
   * label of proofup_helpdesk_events_total).
   */
  event?: HelpdeskEvent;
  /** Slack binding records: the Slack side, "team:user" (ids only). */
  slackUser?: string;
  notified?: { email: boolean; sms?: boolean; signedOut?: boolean };
}

export interface AuditLog {
  append(record: AuditRecord): Promise<void>;
  since(from: Date): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

export class SqliteAuditLog implements AuditLog {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, at TEXT NOT NULL, record TEXT NOT NULL)',
    );
    this.db.exec('CREATE INDEX IF NOT EXISTS audit_at ON audit(at)');
    this.db.exec('CREATE INDEX IF NOT EXISTS audit_id ON audit(id)');
  }

  /** Idempotent by record id: a record delivered again after a crash is stored once. */
  async append(record: AuditRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO audit (id, at, record) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM audit WHERE id = ?)')
      .run(record.id, record.at, JSON.stringify(record), record.id);
  }

  async since(from: Date): Promise<AuditRecord[]> {
    const rows = this.db.prepare('SELECT record FROM audit WHERE at >= ? ORDER BY seq').all(from.toISOString()) as {
      record: string;
    }[];
    return rows.map((r) => JSON.parse(r.record) as AuditRecord);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

const CSV_COLUMNS: (keyof AuditRecord)[] = [
  'at',
  'id',
  'flowId',
  'actorOid',
  'subjectOid',
  'channel',
  'action',
  'event',
  'phoneType',
  'before',
  'after',
  'result',
  'reason',
  'steps',
  'notified',
  'slackUser',
];

export function toCsv(records: AuditRecord[]): string {
  const cell = (v: unknown) => {
    const text = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${[CSV_COLUMNS.join(','), ...records.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\n')}\n`;
}

/** The records of one actor and/or about one subject (the subject of a user's own change is the user). */
export function filterRecords(records: AuditRecord[], filter: { actor?: string; subject?: string }): AuditRecord[] {
  return records.filter(
    (r) =>
      (!filter.actor || r.actorOid === filter.actor) &&
      (!filter.subject || (r.subjectOid ?? r.actorOid) === filter.subject),
  );
}

/** "24h", "7d", "90m" → a Date that far back. */
export function parseSince(value: string, now = Date.now()): Date {
  const m = /^(\d+)([mhd])$/.exec(value.trim());
  if (!m) throw new Error(`--since must look like 90m, 24h or 7d (got "${value}")`);
  const unit = { m: 60_000, h: 3600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
  return new Date(now - Number(m[1]) * unit);
}
