import { createHash } from 'node:crypto';
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { createCommunicationAuthPolicy, parseClientArguments } from '@azure/communication-common';
import { EmailClient } from '@azure/communication-email';
import { SmsClient } from '@azure/communication-sms';
import {
  createDefaultHttpClient,
  createEmptyPipeline,
  createPipelineRequest,
  type PipelinePolicy,
} from '@azure/core-rest-pipeline';
import { AppError, ErrorCodes } from '../errors.js';
import type { EmailMessage, EmailSender, Repeatable, SmsSender } from './senders.js';

export interface AcsOptions {
  /** One more trusted CA (tests against a local ACS stand-in); TLS stays verified. */
  extraCaPem?: string;
  /** ACS_TIMEOUT_MS: how long one send may take, its SDK retry included (default 30 s). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Client options: one more trusted CA when asked, and ONE retry inside the SDK — the notifier tries each notice a few
 * times and the runner retries it with backoff for hours, so the SDK's own 3 retries per try (seconds each while ACS
 * is down) would only hold the result card back.
 */
const tlsOptions = (options: AcsOptions) => ({
  retryOptions: { maxRetries: 1 },
  ...(options.extraCaPem ? { tlsOptions: { ca: [...rootCertificates, options.extraCaPem].join('\n') } } : {}),
});

/** ACS wants a GUID as Repeatability-Request-Id: derived from our stable key, so a redelivery reuses it. */
export function repeatabilityId(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16] as string, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ID_MARK = 'x-proofup-repeatability-id';
const FIRST_MARK = 'x-proofup-repeatability-first-sent';
const marks = (r: Repeatable) => ({
  [ID_MARK]: repeatabilityId(r.requestId),
  [FIRST_MARK]: new Date(r.firstSentAt).toUTCString(),
});

/**
 * The SMS SDK puts random repeatability ids in the request BODY (per recipient). This policy replaces them with ours
 * (carried to it in two marker headers, which it removes) before the request is signed.
 */
const smsRepeatability: PipelinePolicy = {
  name: 'proofupSmsRepeatability',
  async sendRequest(request, next) {
    const id = request.headers.get(ID_MARK);
    const first = request.headers.get(FIRST_MARK);
    request.headers.delete(ID_MARK);
    request.headers.delete(FIRST_MARK);
    if (id && first && typeof request.body === 'string') {
      const body = JSON.parse(request.body) as { smsRecipients?: Record<string, unknown>[] };
      for (const recipient of body.smsRecipients ?? []) {
        recipient.repeatabilityRequestId = id;
        recipient.repeatabilityFirstSent = first;
      }
      request.body = JSON.stringify(body);
    }
    return next(request);
  },
};

/** SMS through Azure Communication Services (a number or alphanumeric sender id bought in the ACS resource). */
export class AcsSmsSender implements SmsSender {
  private readonly client: SmsClient;
  private readonly timeoutMs: number;

  constructor(
    connectionString: string,
    private readonly from: string,
    options: AcsOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.client = new SmsClient(connectionString, {
      ...tlsOptions(options),
      additionalPolicies: [{ policy: smsRepeatability, position: 'perCall' }],
    });
  }

  async sendSms(to: string, text: string, repeatable?: Repeatable): Promise<string> {
    // A deadline for the whole send: an ACS that never answers must not hold the notice (it is retried, repeatable).
    const [result] = await this.client.send(
      { from: this.from, to: [to], message: text },
      {
        abortSignal: AbortSignal.timeout(this.timeoutMs),
        ...(repeatable ? { requestOptions: { customHeaders: marks(repeatable) } } : {}),
      },
    );
    if (!result?.successful) {
      throw new AppError(
        ErrorCodes.MESSAGE_NOT_SENT,
        `SMS not accepted by ACS (HTTP ${result?.httpStatusCode}): ${result?.errorMessage ?? ''}`,
      );
    }
    return result.messageId ?? '';
  }
}

/** The e-mail API version the SDK speaks (its default), used for the status read too. */
const EMAIL_API_VERSION = '2025-09-01';
/** Statuses of an operation ACS accepted: sent, or on its way. */
const ACCEPTED = new Set(['NotStarted', 'Running', 'Succeeded']);

/** E-mail through Azure Communication Services Email (sender on a verified domain of the ACS resource). */
export class AcsEmailSender implements EmailSender {
  private readonly client: EmailClient;
  private readonly endpoint: string;
  private readonly statusPipeline = createEmptyPipeline();
  private readonly http = createDefaultHttpClient();
  /** One more trusted CA for the status read (the SDK's own requests get it through tlsOptions). */
  private readonly statusAgent?: Agent;
  private readonly timeoutMs: number;

  constructor(
    connectionString: string,
    private readonly from: string,
    options: AcsOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.client = new EmailClient(connectionString, tlsOptions(options));
    const { url, credential } = parseClientArguments(connectionString);
    this.endpoint = url.replace(/\/+$/, '');
    this.statusPipeline.addPolicy(createCommunicationAuthPolicy(credential));
    if (options.extraCaPem) this.statusAgent = new Agent({ ca: [...rootCertificates, options.extraCaPem].join('\n') });
  }

  /**
   * Whether ACS holds a send operation for this request id (each send names its operation after it): the read-back
   * that replaces repeatability once its 5-minute window has passed. Undefined when ACS does not say.
   */
  async wasAccepted(requestId: string): Promise<boolean | undefined> {
    const request = createPipelineRequest({
      url: `${this.endpoint}/emails/operations/${repeatabilityId(requestId)}?api-version=${EMAIL_API_VERSION}`,
      method: 'GET',
    });
    if (this.statusAgent) request.agent = this.statusAgent; // createPipelineRequest does not copy `agent`
    try {
      const res = await this.statusPipeline.sendRequest(this.http, request);
      if (res.status === 404) return false;
      if (res.status !== 200) return undefined;
      return ACCEPTED.has(String((JSON.parse(res.bodyAsText ?? '{}') as { status?: unknown }).status));
    } catch {
      return undefined;
    }
  }

  async sendEmail(message: EmailMessage, repeatable?: Repeatable): Promise<string> {
    const headers = repeatable
      ? {
          'Repeatability-Request-Id': repeatabilityId(repeatable.requestId),
          'Repeatability-First-Sent': new Date(repeatable.firstSentAt).toUTCString(),
        }
      : undefined;
    // One deadline for the request and the wait until ACS accepted it (retried by the notifier, repeatable).
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const poller = await this.client.beginSend(
      {
        senderAddress: this.from,
        recipients: { to: [{ address: message.to }] },
        content: { subject: message.subject, plainText: message.text },
      },
      // The operation is named after the request, so its status can be read back later (wasAccepted).
      {
        abortSignal: deadline,
        ...(repeatable
          ? { operationId: repeatabilityId(repeatable.requestId), requestOptions: { customHeaders: headers } }
          : {}),
      },
    );
    const result = await poller.pollUntilDone({ abortSignal: deadline });
    if (result.status !== 'Succeeded')
      throw new AppError(ErrorCodes.MESSAGE_NOT_SENT, `e-mail ${result.status}: ${result.error?.message ?? ''}`);
    return result.id;
  }
}
