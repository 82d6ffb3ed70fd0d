// Microsoft Entra Verified ID, for someone who lost every factor: a presentation request for a VerifiedEmployee
// credential with Face Check (Request Service REST API, learn.microsoft.com/entra/verified-id/presentation-request-api),
// and the judgement of its callback. The service calls back with the headers we gave it (a per-presentation api-key:
// its only documented authentication) and the `state` we chose; the callback is believed only if the key matches, the
// credential is a VALID VerifiedEmployee from an accepted issuer, the face check scored at least the threshold, and the
// credential names the person the request is for (its revocationId is the user principal name; mail as a fallback).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../config.js';
import { AppTokenProvider, appTokenOptions } from '../graph/app-token.js';
import { HttpsClient } from '../identity/https-client.js';
import type { Logger } from '../logging.js';

/** The Request Service's application id: app-only tokens for it are asked with `<id>/.default`. */
export const VERIFIED_ID_RESOURCE = '3db474b9-6a0c-4840-96ac-1fceb342124f';
export const VERIFIED_EMPLOYEE = 'VerifiedEmployee';

export interface VerifiedIdOptions {
  /** e.g. https://verifiedid.did.msidentity.com (the sandbox: its simulator). */
  endpoint: string;
  /** The verifier's decentralized identifier (did:web:…), from the Verified ID blade. */
  authority: string;
  /** Issuers whose VerifiedEmployee credentials count (default: the authority itself). */
  acceptedIssuers: readonly string[];
  /** Face Check's matchConfidenceThreshold, 50..100 (Microsoft's helpdesk guidance uses 70). */
  faceCheckThreshold: number;
  clientName: string;
}

export interface Presentation {
  requestId: string;
  /** openid-vc://… — what Authenticator opens (the QR code encodes it). */
  url: string;
  expiresAt: number;
  qrCode?: string;
  /** SHA-256 of the api-key the service sends back with every callback of this presentation. */
  keyHash: string;
}

const created = z.object({
  requestId: z.string().min(1),
  url: z.string().min(1),
  expiry: z.number(),
  qrCode: z.string().optional(),
});

export class VerifiedIdError extends Error {}

export class VerifiedIdClient {
  constructor(
    private readonly options: VerifiedIdOptions,
    private readonly http: Pick<HttpsClient, 'request'>,
    private readonly token: () => Promise<string>,
  ) {}

  get threshold(): number {
    return this.options.faceCheckThreshold;
  }

  /** A presentation request whose callbacks carry `state` and a fresh api-key (kept only as its hash). */
  async createPresentation(input: { state: string; callbackUrl: string; purpose: string }): Promise<Presentation> {
    const apiKey = randomBytes(32).toString('base64url');
    const body = {
      authority: this.options.authority,
      includeQRCode: true,
      includeReceipt: false,
      registration: { clientName: this.options.clientName, purpose: input.purpose },
      callback: { url: input.callbackUrl, state: input.state, headers: { 'api-key': apiKey } },
      requestedCredentials: [
        {
          type: VERIFIED_EMPLOYEE,
          purpose: input.purpose,
          acceptedIssuers: [...this.options.acceptedIssuers],
          configuration: {
            validation: {
              allowRevoked: false,
              validateLinkedDomain: true,
              faceCheck: { sourcePhotoClaimName: 'photo', matchConfidenceThreshold: this.options.faceCheckThreshold },
            },
          },
        },
      ],
    };
    const res = await this.http.request(
      `${this.options.endpoint}/v1.0/verifiableCredentials/createPresentationRequest`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${await this.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        // Two presentation requests for one page are harmless: only the newest one's callbacks count.
        retryStaleSocket: true,
      },
    );
    if (res.status !== 201 && res.status !== 200)
      throw new VerifiedIdError(`createPresentationRequest answered ${res.status}: ${errorCodeOf(res.body)}`);
    const parsed = created.safeParse(JSON.parse(res.body));
    if (!parsed.success) throw new VerifiedIdError('createPresentationRequest answered without requestId/url/expiry');
    return {
      requestId: parsed.data.requestId,
      url: parsed.data.url,
      // `expiry` is in seconds since the epoch.
      expiresAt: parsed.data.expiry * 1000,
      ...(parsed.data.qrCode ? { qrCode: parsed.data.qrCode } : {}),
      keyHash: hashOf(apiKey),
    };
  }

  /** Judges a callback against the presentation it names and the person it is for. */
  judge(callback: PresentationCallback, person: { upn: string; mail?: string }): Judgement {
    if (callback.requestStatus === 'request_retrieved') return { verdict: 'retrieved' };
    if (callback.requestStatus === 'presentation_error')
      return { verdict: 'failed', reason: callback.error?.code ?? 'presentation_error' };
    const credential = callback.verifiedCredentialsData?.find((c) => c.type?.includes(VERIFIED_EMPLOYEE));
    if (!credential) return { verdict: 'failed', reason: 'no VerifiedEmployee credential' };
    if (!credential.issuer || !this.options.acceptedIssuers.includes(credential.issuer))
      return { verdict: 'failed', reason: 'issuer not accepted' };
    const state = credential.credentialState?.revocationStatus;
    if (state && state !== 'VALID') return { verdict: 'failed', reason: `credential ${state.toLowerCase()}` };
    const score = credential.faceCheck?.matchConfidenceScore;
    if (typeof score !== 'number' || score < this.options.faceCheckThreshold)
      return { verdict: 'failed', reason: `face check ${typeof score === 'number' ? score.toFixed(1) : 'missing'}` };
    const named = [credential.claims?.revocationId, credential.claims?.mail].map((v) => v?.toLowerCase());
    const mine = [person.upn, person.mail].filter(Boolean).map((v) => v?.toLowerCase());
    if (!named.some((v) => v && mine.includes(v))) return { verdict: 'wrong-person', reason: 'another employee' };
    return { verdict: 'verified', score };
  }
}

export type Judgement =
  | { verdict: 'retrieved' }
  | { verdict: 'verified'; score: number }
  | { verdict: 'failed' | 'wrong-person'; reason: string };

/** The callback body (only what Proofup reads; extra fields are ignored). */
export const presentationCallback = z.object({
  requestId: z.string().min(1),
  requestStatus: z.enum(['request_retrieved', 'presentation_verified', 'presentation_error']),
  state: z.string().min(1),
  subject: z.string().optional(),
  verifiedCredentialsData: z
    .array(
      z.object({
        issuer: z.string().optional(),
        type: z.array(z.string()).optional(),
        claims: z.record(z.string(), z.string()).optional(),
        credentialState: z.object({ revocationStatus: z.string().optional() }).optional(),
        faceCheck: z.object({ matchConfidenceScore: z.number().optional() }).optional(),
      }),
    )
    .optional(),
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).optional(),
});
export type PresentationCallback = z.infer<typeof presentationCallback>;

export function hashOf(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/** Whether `apiKey` is the one whose hash the presentation keeps (constant time). */
export function keyMatches(apiKey: string | undefined, keyHash: string): boolean {
  if (!apiKey) return false;
  const a = Buffer.from(hashOf(apiKey));
  const b = Buffer.from(keyHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

function errorCodeOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: string; innererror?: { code?: string } } };
    return parsed.error?.innererror?.code ?? parsed.error?.code ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The client for a configured Verified ID (app-only token through msal-node, as for Graph), else undefined. */
export function createVerifiedIdClient(
  config: Pick<Config, 'stepUp' | 'graph' | 'network'> & { helpdesk: Pick<Config['helpdesk'], 'tap'> },
  deps: { extraCaPem?: string; logger: Logger },
): VerifiedIdClient | undefined {
  const options = config.helpdesk.tap.verifiedId;
  if (!options || !config.helpdesk.tap.verification.includes('verified-id')) return undefined;
  const http = new HttpsClient({
    extraCaPem: deps.extraCaPem,
    timeoutMs: config.graph.timeoutMs,
    proxy: config.network.proxy,
  });
  const tokens = new AppTokenProvider(appTokenOptions(config.stepUp, VERIFIED_ID_RESOURCE), http, deps.logger);
  return new VerifiedIdClient({ ...options, clientName: 'Proofup helpdesk' }, http, tokens.token);
}
