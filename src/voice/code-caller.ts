// Proves a number by calling it and reading the code aloud (alternate and office phones, and mobiles on request), with
// Azure Communication Services Call Automation: create the call; when it connects, play the text (code twice) in
// the user's language; when the play completes, hang up. Every event comes back signed to /api/calls/events (see
// call-events.ts) with the call's sealed context in its callback URL, so any instance can take it. The outcome
// (answered, no answer, busy, failed) goes to the flow, which says it on the code card.
import { randomBytes } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { CallAutomationClient, CallAutomationEvent, DtmfTone } from '@azure/communication-call-automation';
import type { CallOutcome, ChatRef } from '../flow/flow.js';
import { type Lang, t } from '../i18n/i18n.js';
import type { Logger } from '../logging.js';
import { type CallContext, CallContextSealer } from './call-context.js';

/** The voice each language is read in (Azure AI Speech neural voices through ACS). */
const VOICES: Record<Lang, { sourceLocale: string; voiceName: string }> = {
  en: { sourceLocale: 'en-US', voiceName: 'en-US-JennyNeural' },
  de: { sourceLocale: 'de-DE', voiceName: 'de-DE-KatjaNeural' },
  es: { sourceLocale: 'es-ES', voiceName: 'es-ES-ElviraNeural' },
  fr: { sourceLocale: 'fr-FR', voiceName: 'fr-FR-DeniseNeural' },
};

/** "4 8 1 5 2 3": digits one by one, so text-to-speech never reads "481,523". */
export const spokenDigits = (code: string) => code.split('').join(', ');

export const DTMF_TONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

/** An extension as DTMF tones ("12" → one, two). */
export const dtmfOf = (extension: string) => [...extension].map((d) => DTMF_TONES[Number(d)] as DtmfTone);

/** The words of a code call (the sandbox outbox shows the same). */
export function callText(code: string, lang: Lang): string {
  return t(lang, 'call.code', { digits: spokenDigits(code) });
}

/** ACS reports a failed call set-up with SIP-like codes: busy (486), no answer (408, 480, 487), anything else failed. */
export function outcomeOfFailure(code: number | undefined): CallOutcome {
  if (code === 486 || code === 600) return 'busy';
  if (code === 408 || code === 480 || code === 487 || code === 603) return 'no-answer';
  return 'failed';
}

export interface CallSettings {
  connectionString: string;
  /** The ACS phone number calls come from (E.164). */
  from: string;
  /** Where ACS posts the call's events: <PUBLIC_BASE_URL>/api/calls/events. */
  eventsUrl: string;
  /** Azure AI services endpoint connected to the ACS resource (text-to-speech). */
  cognitiveServicesEndpoint?: string;
  /** Key for the sealed call context (PHONE_HASH_KEY). */
  secret: string;
  /** One more trusted CA (the sandbox's simulated ACS); TLS stays verified. */
  extraCaPem?: string;
  /** Counts each call ACS accepted or refused (metrics). */
  count?: (outcome: 'ok' | 'failed') => void;
}

export interface CallReport {
  chat: ChatRef;
  sends: number;
  outcome: CallOutcome;
}

export class CodeCaller {
  private readonly sealer: CallContextSealer;
  private sdk: Promise<typeof import('@azure/communication-call-automation')> | undefined;
  private client: Promise<CallAutomationClient> | undefined;

  constructor(
    private readonly settings: CallSettings,
    private readonly logger: Logger,
    now?: () => number,
  ) {
    this.sealer = new CallContextSealer(settings.secret, now);
  }

  /** The SDK loads on the first call or event, not at start-up (most turns never call anyone). */
  private load() {
    this.sdk ??= import('@azure/communication-call-automation');
    return this.sdk;
  }

  private calls(): Promise<CallAutomationClient> {
    const { connectionString, extraCaPem } = this.settings;
    this.client ??= this.load().then(
      ({ CallAutomationClient }) =>
        new CallAutomationClient(
          connectionString,
          extraCaPem ? { tlsOptions: { ca: [...rootCertificates, extraCaPem].join('\n') } } : {},
        ),
    );
    return this.client;
  }

  /** A webhook body (one event or a batch) as typed Call Automation events; throws on anything else. */
  async parse(body: unknown): Promise<CallAutomationEvent[]> {
    const { parseCallAutomationEvent } = await this.load();
    const value = Buffer.isBuffer(body) || typeof body === 'string' ? JSON.parse(String(body)) : body;
    return (Array.isArray(value) ? value : [value]).map((e) => parseCallAutomationEvent(e as Record<string, unknown>));
  }

  /**
   * Places the call; resolves the call connection id once ACS accepted it (the rest happens in events). An office
   * phone's extension is dialled as DTMF tones once the switchboard answers, before the code is read.
   */
  async call(call: { to: string; extension?: string; code: string; lang: Lang; chat: ChatRef; sends: number }) {
    const { to, code, lang, chat, sends } = call;
    const ref = randomBytes(16).toString('base64url');
    const context = this.sealer.seal({
      chat,
      sends,
      code,
      lang,
      to,
      ref,
      ...(call.extension ? { extension: call.extension } : {}),
    });
    const url = new URL(this.settings.eventsUrl);
    url.searchParams.set('c', context);
    let result: Awaited<ReturnType<CallAutomationClient['createCall']>>;
    try {
      result = await (await this.calls()).createCall(
        { targetParticipant: { phoneNumber: to }, sourceCallIdNumber: { phoneNumber: this.settings.from } },
        url.toString(),
        {
          operationContext: operationContext('call', ref),
          ...(this.settings.cognitiveServicesEndpoint
            ? { callIntelligenceOptions: { cognitiveServicesEndpoint: this.settings.cognitiveServicesEndpoint } }
            : {}),
        },
      );
    } catch (err) {
      this.settings.count?.('failed');
      throw err;
    }
    this.settings.count?.('ok');
    return result.callConnectionProperties.callConnectionId as string;
  }

  /** The call context of an event's callback URL (undefined: not ours, altered or expired). */
  contextOf(sealed: string | undefined): CallContext | undefined {
    return sealed ? this.sealer.open(sealed) : undefined;
  }

  /**
   * Acts on one verified event of a call: play the code once it connects, hang up once it was read. `tell` gives the
   * flow the outcome BEFORE the hang-up, so our own hang-up's CallDisconnected never overtakes "answered" (the flow
   * keeps the first outcome of a call and drops later ones).
   */
  async onEvent(
    event: CallAutomationEvent,
    context: CallContext,
    tell: (report: CallReport) => Promise<void>,
  ): Promise<boolean> {
    // Only this call's own events: a genuine event of another call, posted with this call's context, does nothing.
    if (!belongsTo((event as { operationContext?: string }).operationContext, context.ref)) return false;
    await this.act(event, context, tell);
    return true;
  }

  private async act(
    event: CallAutomationEvent,
    context: CallContext,
    tell: (report: CallReport) => Promise<void>,
  ): Promise<void> {
    const report = (outcome: CallOutcome) => tell({ chat: context.chat, sends: context.sends, outcome });
    const media = async () => (await this.calls()).getCallConnection(event.callConnectionId).getCallMedia();
    const play = async () =>
      (await media()).playToAll(
        [{ kind: 'textSource', text: callText(context.code, context.lang), ...VOICES[context.lang] }],
        { operationContext: operationContext('play', context.ref) },
      );
    switch (event.kind) {
      case 'CallConnected':
        if (!context.extension) return play();
        await (await media()).sendDtmfTones(
          dtmfOf(context.extension),
          { phoneNumber: context.to },
          { operationContext: operationContext('extension', context.ref) },
        );
        return;
      case 'SendDtmfTonesCompleted':
        return play();
      case 'SendDtmfTonesFailed':
        await report('failed');
        return this.hangUp(event.callConnectionId);
      case 'PlayCompleted':
        await report('answered');
        return this.hangUp(event.callConnectionId);
      case 'PlayFailed':
        await report('failed');
        return this.hangUp(event.callConnectionId);
      case 'CreateCallFailed':
        return report(outcomeOfFailure(event.resultInformation?.code));
      case 'CallDisconnected':
        // After PlayCompleted this is our own hang-up (the flow already knows); before it, the call dropped.
        return report('failed');
      default:
        return;
    }
  }

  private async hangUp(callConnectionId: string): Promise<void> {
    try {
      await (await this.calls()).getCallConnection(callConnectionId).hangUp(true);
    } catch (err) {
      // The callee may have hung up first; the call ends either way.
      this.logger.warn({ err, callConnectionId }, 'could not hang up the code call');
    }
  }
}

/** The operation context of the call and of each action on it: which step, and the call's own reference. */
function operationContext(step: 'call' | 'play' | 'extension', ref: string): string {
  return `proofup-${step}.${ref}`;
}

/** Whether an event's operation context names this call (any of its steps). */
function belongsTo(eventContext: string | undefined, ref: string): boolean {
  return /^proofup-(?:call|play|extension)\.([\w-]{22})$/.exec(eventContext ?? '')?.[1] === ref;
}
