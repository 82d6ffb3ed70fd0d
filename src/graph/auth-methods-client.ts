// Microsoft Graph authentication methods for one user, /users/{oid}, with an app-only token. A thin typed layer over
// HTTPS rather than a Graph SDK: a handful of calls, and the retry and error semantics stay visible and testable here.

import type { HttpsClient, HttpsResponse } from '../identity/https-client.js';
import type { Logger } from '../logging.js';
import { maskEmail } from '../mask.js';
import {
  type DefaultMethod,
  LISTED_ODATA,
  type ListedKind,
  type ListedMethod,
  MFA_CAPABLE_OTHERS,
  type Operation,
  PHONE_METHOD_IDS,
  type PhoneType,
  type SecurityInfo,
} from './auth-methods.js';
import { GraphError } from './graph-error.js';

export interface AuthMethodsClientOptions {
  baseUrl: string;
  http: HttpsClient;
  token: () => Promise<string>;
  logger: Logger;
  maxRetries?: number;
  /** A Retry-After longer than this is not waited for: the user gets "try again later" instead. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Every request on the wire and its HTTP status (0: no answer) — for metrics. */
  onAnswer?: (method: string, path: string, status: number) => void;
}

const RETRYABLE = new Set([429, 503, 504]);
const KIND_BY_ODATA = new Map(Object.entries(LISTED_ODATA).map(([kind, odata]) => [odata, kind as ListedKind]));

export interface GraphCallResult {
  status: number;
  requestId?: string;
  body?: unknown;
}

export class AuthMethodsClient {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: AuthMethodsClientOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * Current phones, other methods and the default method: ONE request to Graph (JSON batching of the methods list,
   * beta signInPreferences and the user's usage location). An inner answer of 429/503/504 retries the batch after its
   * Retry-After. The usage location only pre-selects a country: if it cannot be read, the rest still counts.
   */
  async securityInfo(oid: string): Promise<SecurityInfo> {
    const user = `/users/${encodeURIComponent(oid)}/authentication`;
    const requests = [
      { id: 'methods', method: 'GET', url: `${user}/methods` },
      { id: 'prefs', method: 'GET', url: `${user}/signInPreferences` },
    ];
    const all = [
      ...requests,
      { id: 'user', method: 'GET', url: `/users/${encodeURIComponent(oid)}?$select=usageLocation` },
    ];
    const maxRetries = this.options.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      const res = await this.call('POST', '/beta/$batch', { requests: all }, { safeToRepeat: true });
      const responses = (res.body as { responses?: BatchResponse[] })?.responses ?? [];
      const byId = new Map(responses.map((r) => [r.id, r]));
      const failed = requests.map((r) => byId.get(r.id)).find((r) => !r || r.status >= 400);
      if (!failed) {
        const info = parseSecurityInfo(byId.get('methods')?.body, byId.get('prefs')?.body);
        const usage = (byId.get('user')?.body as { usageLocation?: unknown } | undefined)?.usageLocation;
        return typeof usage === 'string' && /^[A-Z]{2}$/.test(usage) ? { ...info, usageLocation: usage } : info;
      }
      const status = failed.status ?? 502;
      const headers = lowerCase(failed.headers);
      const wait = retryAfter(headers['retry-after'], attempt);
      const maxWait = this.options.maxRetryAfterMs ?? 30_000;
      if (RETRYABLE.has(status) && attempt < maxRetries && wait <= maxWait) {
        this.options.logger.warn(
          { component: 'graph', status, attempt, retryAfterMs: wait },
          'graph batch item throttled; retrying',
        );
        await this.sleep(wait);
        continue;
      }
      const error = (failed.body as { error?: { code?: string; message?: string } })?.error;
      throw GraphError.fromStatus(status, error?.code, headers['request-id'], error?.message ?? 'batch item failed');
    }
  }

  /** The user's business phones from the directory (the policy source for office numbers). */
  async businessPhones(oid: string): Promise<string[]> {
    const res = await this.call('GET', `/v1.0/users/${encodeURIComponent(oid)}?$select=businessPhones`);
    const phones = (res.body as { businessPhones?: unknown })?.businessPhones;
    return Array.isArray(phones) ? phones.filter((p): p is string => typeof p === 'string') : [];
  }

  /** Whether the user is a member of the group, directly or through nested groups (GroupMember.Read.All). */
  async isMemberOf(oid: string, groupId: string): Promise<boolean> {
    let path: string | undefined =
      `/v1.0/users/${encodeURIComponent(oid)}/transitiveMemberOf/microsoft.graph.group?$select=id&$top=999`;
    for (let page = 0; path && page < 50; page++) {
      const res = await this.call('GET', path);
      const body = res.body as { value?: { id?: unknown }[]; '@odata.nextLink'?: unknown } | undefined;
      if ((body?.value ?? []).some((g) => g.id === groupId)) return true;
      const next = body?.['@odata.nextLink'];
      path =
        typeof next === 'string' && next.startsWith(this.options.baseUrl)
          ? next.slice(this.options.baseUrl.length)
          : undefined;
    }
    return false;
  }

  /** Signs the user out of every session and refresh token (User.RevokeSessions.All): after a lost phone. */
  async revokeSignInSessions(oid: string): Promise<void> {
    await this.call('POST', `/v1.0/users/${encodeURIComponent(oid)}/revokeSignInSessions`, {});
  }

  /** The organisation's country (ISO 3166), the default for where codes may be texted. */
  async tenantCountry(): Promise<string | undefined> {
    const res = await this.call('GET', '/v1.0/organization?$select=countryLetterCode');
    const org = (res.body as { value?: { countryLetterCode?: unknown }[] })?.value?.[0];
    return typeof org?.countryLetterCode === 'string' && org.countryLetterCode ? org.countryLetterCode : undefined;
  }

  /** One planned operation. Returns Graph's request id for the audit. */
  async apply(oid: string, operation: Operation): Promise<GraphCallResult> {
    const user = `/users/${encodeURIComponent(oid)}/authentication`;
    switch (operation.op) {
      case 'createPhone':
        return this.call('POST', `/v1.0${user}/phoneMethods`, {
          phoneNumber: operation.number,
          phoneType: operation.type,
        });
      case 'updatePhone':
        return this.call('PATCH', `/v1.0${user}/phoneMethods/${PHONE_METHOD_IDS[operation.type]}`, {
          phoneNumber: operation.number,
        });
      case 'deletePhone':
        return this.call('DELETE', `/v1.0${user}/phoneMethods/${PHONE_METHOD_IDS[operation.type]}`);
      case 'setDefault':
        return this.call('PATCH', `/beta${user}/signInPreferences`, {
          userPreferredMethodForSecondaryAuthentication: operation.method ?? null,
        });
    }
  }

  /**
   * One Graph request with this client's token, retries and error mapping (GraphError). `safeToRepeat`: a POST that
   * only reads ($batch of GETs) may be retried like a GET. Public for the helpdesk's directory calls.
   */
  async call(
    method: string,
    path: string,
    body?: unknown,
    options: { safeToRepeat?: boolean } = {},
  ): Promise<GraphCallResult> {
    const repeatable = method === 'GET' || options.safeToRepeat === true;
    const maxRetries = this.options.maxRetries ?? 3;
    const maxWait = this.options.maxRetryAfterMs ?? 30_000;
    const log = this.options.logger.child({
      component: 'graph',
      method,
      path: path.replace(/users\/[^/]+/, 'users/{oid}'),
    });
    for (let attempt = 0; ; attempt++) {
      let res: HttpsResponse;
      try {
        res = await this.options.http.request(`${this.options.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${await this.options.token()}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        this.options.onAnswer?.(method, path, 0);
        if (err instanceof GraphError) throw err;
        // A write that timed out may have happened; only reads are retried blindly.
        if (repeatable && attempt < maxRetries) {
          await this.sleep(1000 * 2 ** attempt);
          continue;
        }
        log.warn({ attempt, reason: (err as Error).message }, 'graph call failed without an answer');
        throw new GraphError('PROOFUP_GRAPH_UNAVAILABLE', 0, undefined, undefined, (err as Error).message, {
          cause: err,
        });
      }
      this.options.onAnswer?.(method, path, res.status);
      const requestId = res.headers['request-id'];
      const parsed = res.body ? safeJson(res.body) : undefined;
      if (res.status < 400) {
        log.info({ status: res.status, requestId, attempt }, 'graph call');
        return { status: res.status, requestId, body: parsed };
      }
      const error = (parsed as { error?: { code?: string; message?: string } })?.error;
      const retryAfterMs = retryAfter(res.headers['retry-after'], attempt);
      // A write is retried here only on 429 (Graph did not process it); a 5xx write may have landed, so the plan
      // executor settles it by reading Graph back instead of sending it again blindly.
      const retryable = repeatable ? RETRYABLE.has(res.status) : res.status === 429;
      if (retryable && attempt < maxRetries && retryAfterMs <= maxWait) {
        log.warn(
          { status: res.status, requestId, attempt, retryAfterMs },
          'graph call throttled or unavailable; retrying',
        );
        await this.sleep(retryAfterMs);
        continue;
      }
      log.warn({ status: res.status, requestId, graphCode: error?.code, attempt }, 'graph call failed');
      const challenge = res.headers['www-authenticate'] ?? '';
      throw GraphError.fromStatus(res.status, error?.code, requestId, `${error?.message ?? ''} ${challenge}`.trim());
    }
  }
}

interface BatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

function lowerCase(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

function parseSecurityInfo(list: unknown, preferences: unknown): SecurityInfo {
  const methods = (list as { value?: Record<string, unknown>[] })?.value ?? [];
  const info: SecurityInfo = { phones: {}, others: [], systemPreferredEnabled: false };
  const listed: ListedMethod[] = [];
  for (const m of methods) {
    if (m['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod') {
      info.phones[m.phoneType as PhoneType] = String(m.phoneNumber);
    } else {
      const kind = KIND_BY_ODATA.get(String(m['@odata.type']));
      if (!kind) continue; // the password, and kinds Graph adds later
      listed.push(listedMethod(kind, m));
      const other = MFA_CAPABLE_OTHERS.find((o) => o === kind);
      if (other && !info.others.includes(other)) info.others.push(other);
    }
  }
  info.listed = listed;
  const p = preferences as {
    isSystemPreferredAuthenticationMethodEnabled?: boolean;
    userPreferredMethodForSecondaryAuthentication?: string | null;
  };
  info.systemPreferredEnabled = p?.isSystemPreferredAuthenticationMethodEnabled === true;
  if (p?.userPreferredMethodForSecondaryAuthentication)
    info.defaultMethod = p.userPreferredMethodForSecondaryAuthentication as DefaultMethod;
  return info;
}

/** One listed method with only what the card shows: a device name, a masked address, an end time. */
function listedMethod(kind: ListedKind, m: Record<string, unknown>): ListedMethod {
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 80) : undefined);
  if (kind === 'email') {
    const address = text(m.emailAddress);
    return { kind, ...(address ? { name: maskEmail(address) } : {}) };
  }
  if (kind === 'temporaryAccessPass') {
    const start = Date.parse(String(m.startDateTime ?? m.createdDateTime ?? ''));
    const minutes = Number(m.lifetimeInMinutes);
    return { kind, ...(Number.isFinite(start) && minutes > 0 ? { until: start + minutes * 60_000 } : {}) };
  }
  const name = text(m.displayName) ?? text(m.model) ?? text(m.deviceTag);
  const id = text(m.id);
  const createdAt = Date.parse(String(m.createdDateTime ?? ''));
  return {
    kind,
    ...(name ? { name } : {}),
    ...(id ? { id } : {}),
    ...(Number.isFinite(createdAt) ? { createdAt } : {}),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds or as an HTTP date; without it, exponential backoff (1 s, 2 s, 4 s…). */
export function retryAfter(header: string | undefined, attempt: number): number {
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  return 1000 * 2 ** attempt;
}
