// Tickets for the helpdesk's own system, through one interface with two implementations: a signed generic webhook
// (any ITSM or automation that can receive JSON) and ServiceNow's Table API (an incident). A ticket carries what an
// agent needs to act, never a raw number, code or pass: numbers are masked before they get here.
import { createHmac } from 'node:crypto';
import type { HelpdeskConfig } from '../config-model.js';
import { AppError, ErrorCodes } from '../errors.js';

export interface Ticket {
  /** Our escalation id (also the idempotency key at the receiver). */
  id: string;
  reason: string;
  summary: string;
  /** Facts for the agent (who, what they tried, failure codes, step-up, Graph request ids), masked. */
  details: Record<string, string>;
  requester: { oid: string; name: string; upn?: string };
}

export interface OpenedTicket {
  system: 'webhook' | 'servicenow';
  /** The receiver's reference (ServiceNow: INC0010001). */
  reference: string;
}

export interface TicketSink {
  readonly system: OpenedTicket['system'];
  open(ticket: Ticket): Promise<OpenedTicket>;
}

async function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number) {
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  if (!res.ok) throw new AppError(ErrorCodes.MESSAGE_NOT_SENT, `ticket endpoint answered ${res.status}`);
  return text;
}

/**
 * POST <ITSM_WEBHOOK_URL> with the ticket as JSON, signed: `X-Proofup-Timestamp` (unix seconds) and
 * `X-Proofup-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with ITSM_WEBHOOK_SECRET>`. The receiver
 * recomputes it and refuses a request older than 5 minutes (see docs/helpdesk.md).
 */
export class WebhookTicketSink implements TicketSink {
  readonly system = 'webhook' as const;

  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = 10_000,
  ) {}

  async open(ticket: Ticket): Promise<OpenedTicket> {
    const body = JSON.stringify({ type: 'proofup.escalation', ...ticket });
    const timestamp = String(Math.floor(this.now() / 1000));
    const signature = createHmac('sha256', this.secret).update(`${timestamp}.${body}`).digest('hex');
    const answer = await post(
      this.url,
      {
        'content-type': 'application/json',
        'x-proofup-timestamp': timestamp,
        'x-proofup-signature': `sha256=${signature}`,
        'idempotency-key': ticket.id,
      },
      body,
      this.timeoutMs,
    );
    let reference = ticket.id;
    try {
      const parsed = JSON.parse(answer) as { id?: unknown; reference?: unknown };
      const given = parsed.reference ?? parsed.id;
      if (typeof given === 'string' && given.length <= 64) reference = given;
    } catch {
      // a receiver that answers without JSON: our id is the reference
    }
    return { system: this.system, reference };
  }
}

/** ServiceNow Table API: POST <instance>/api/now/table/incident as a user with the itil role (basic auth). */
export class ServiceNowTicketSink implements TicketSink {
  readonly system = 'servicenow' as const;

  constructor(
    private readonly instanceUrl: string,
    private readonly user: string,
    private readonly password: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async open(ticket: Ticket): Promise<OpenedTicket> {
    const description = [
      ticket.summary,
      '',
      ...Object.entries(ticket.details).map(([k, v]) => `${k}: ${v}`),
      '',
      `Proofup escalation ${ticket.id}`,
    ].join('\n');
    const body = JSON.stringify({
      short_description: `Proofup: ${ticket.summary}`.slice(0, 160),
      description,
      contact_type: 'chat',
      category: 'inquiry',
      subcategory: 'mfa',
      urgency: ticket.reason === 'lost-phone' ? '2' : '3',
      impact: '3',
      caller_id: ticket.requester.upn ?? '',
      correlation_id: ticket.id,
      correlation_display: 'Proofup',
    });
    const answer = await post(
      `${this.instanceUrl.replace(/\/+$/, '')}/api/now/table/incident`,
      {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`,
      },
      body,
      this.timeoutMs,
    );
    const number = (JSON.parse(answer) as { result?: { number?: unknown } }).result?.number;
    if (typeof number !== 'string') throw new AppError(ErrorCodes.MESSAGE_NOT_SENT, 'ServiceNow returned no number');
    return { system: this.system, reference: number };
  }
}

/** The configured ticket systems (none, one or both). */
export function ticketSinks(config: HelpdeskConfig): TicketSink[] {
  return [
    ...(config.webhook ? [new WebhookTicketSink(config.webhook.url, config.webhook.secret)] : []),
    ...(config.serviceNow
      ? [new ServiceNowTicketSink(config.serviceNow.instanceUrl, config.serviceNow.user, config.serviceNow.password)]
      : []),
  ];
}
