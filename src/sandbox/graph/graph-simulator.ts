// Microsoft Graph's authentication-methods endpoints for the sandbox and tests: the same paths, JSON shapes, rules
// (Graph's documented ones, written on their own: documented-rules.ts) and error format, app-only bearer tokens checked, and faults on demand
// (429/503 with Retry-After, latency, insufficient_claims). Never loaded in production.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type DefaultMethod,
  LISTED_ODATA,
  type ListedMethod,
  type Operation,
  PHONE_METHOD_IDS,
  PHONE_TYPES,
  type PhoneType,
  type SecurityInfo,
} from '../../graph/auth-methods.js';
import type { TlsMaterial } from '../entra/tls.js';
import { type LoopbackHttpsServer, listenHttps } from '../https-server.js';
import { demoSecurityInfo } from './demo-methods.js';
import { SandboxDirectory } from './directory.js';
import { DocumentedGraphError, documentedGraph, fromDocumented, toDocumented } from './documented-rules.js';
import { SandboxHelpdeskEndpoints } from './helpdesk-endpoints.js';
import { HttpError, parseJson, readRaw } from './http-error.js';
import { methodProperties } from './method-properties.js';
import { serveMySignIns } from './my-sign-ins.js';
import { SandboxRegistrationEndpoints } from './registration-endpoints.js';

export interface Fault {
  /** An error answer; or 'reset': the connection drops without an answer, before or after the request is processed
   *  ("the write landed but its answer was lost"). */
  status: 429 | 503 | 504 | 403 | 'reset';
  /** For 'reset': whether the request is processed first (default: after). */
  resetAfterProcessing?: boolean;
  retryAfterSeconds?: number;
  /** How many matching requests fail (default 1; Infinity for "persistently"). */
  times?: number;
  method?: string;
  /** Only requests whose path contains this. */
  pathIncludes?: string;
  /** Only requests whose path (without its query) ends with this. */
  pathEndsWith?: string;
}

/** Checks an app-only bearer token; returns its roles, or undefined when the token is not acceptable. */
export type TokenCheck = (token: string) => Promise<string[] | undefined>;

const WRITE_ROLES = ['UserAuthMethod-Phone.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'];

/** The application permissions docs/setup-tenant.md asks an admin to consent to (the sandbox tenant grants the same). */
export const GRAPH_APP_ROLES = [
  ...WRITE_ROLES,
  'User.Read.All',
  'Organization.Read.All',
  'GroupMember.Read.All',
  'User.RevokeSessions.All',
  'TeamsAppInstallation.ReadWriteSelfForUser.All',
  'RoleManagement.Read.Directory',
  'UserAuthMethod-TAP.ReadWrite.All',
  'AuditLog.Read.All',
];

/** Any failure as the error answer Graph would give: its own rule errors, ours, or a 500. */
function asHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof DocumentedGraphError)
    return new HttpError(err.status, err.code, err.message.replace(/^R\d+ /, ''));
  return new HttpError(500, 'generalException', 'An unexpected error occurred.');
}

export class GraphSimulator {
  readonly users: Map<string, SecurityInfo> = demoSecurityInfo();
  /** Users, groups and the organisation (the non-method parts of Graph the bot reads). */
  readonly directory = new SandboxDirectory();
  /** Installing the bot for people, their 1:1 chats, Temporary Access Passes. */
  readonly helpdesk = new SandboxHelpdeskEndpoints(this.directory, this.users);
  /** The readiness report (userRegistrationDetails) over the sandbox people and a generated workforce. */
  readonly registrations: SandboxRegistrationEndpoints;

  /** Every request (and each request inside a $batch, marked inBatch): status < 0 = processed but the answer was
   *  dropped; `body` = the write's JSON body, for tests. */
  readonly requests: { method: string; path: string; status: number; body?: string; inBatch?: boolean }[] = [];
  private readonly bodies = new WeakMap<IncomingMessage, string>();
  latencyMs = 0;
  /** Test seam: awaited when a request arrives and again after it was processed, before the answer is sent. */
  hold?: (stage: 'received' | 'processed', request: { method: string; path: string }) => Promise<void>;
  private faults: (Fault & { remaining: number })[] = [];
  private server: LoopbackHttpsServer | undefined;
  private base = '';

  constructor(
    private readonly tls: TlsMaterial,
    private readonly checkToken: TokenCheck,
    /** How many generated people the readiness report lists besides the five sandbox people (default 400). */
    workforce = 400,
  ) {
    this.registrations = new SandboxRegistrationEndpoints(this.users, () => this.base, workforce);
    this.directory.isGenerated = (id) => this.registrations.workforce.some((w) => w.id === id);
  }

  get url(): string {
    return this.base;
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  async start(port = 0): Promise<string> {
    this.server = await listenHttps(this.tls, port, (req, res) => void this.handle(req, res));
    this.base = this.server.url;
    return this.base;
  }

  stop(): Promise<void> {
    return this.server?.stop() ?? Promise.resolve();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'https://graph.local');
    const path = url.pathname;
    let status = 500;
    try {
      if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
      // The sandbox's My Sign-ins page (a person adds a passkey there). Not a Graph endpoint.
      if (await serveMySignIns(req, res, this.users)) {
        status = 200;
        return;
      }
      if (path === '/_sandbox/users' && req.method === 'GET') {
        // Sandbox inspection (like Azurite's): what the simulated tenant holds now. Not a Graph endpoint.
        status = 200;
        return this.send(res, 200, Object.fromEntries(this.users), { 'request-id': requestId });
      }
      await this.hold?.('received', { method: req.method ?? 'GET', path });
      const reset = this.applyFault(req.method ?? 'GET', path);
      if (reset === 'before') {
        status = 0;
        req.socket.destroy();
        return;
      }
      const roles = await this.checkToken(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
      if (!roles)
        throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
      const request = { method: req.method ?? 'GET', json: () => this.readJson(req), query: url.searchParams };
      const result = /^\/(v1\.0|beta)\/\$batch$/.test(path)
        ? await this.batch(request, path, roles)
        : await this.route(request, path, roles);
      status = result.status;
      await this.hold?.('processed', { method: req.method ?? 'GET', path });
      if (reset === 'after') {
        status = -result.status; // processed, answer never delivered
        req.socket.destroy();
        return;
      }
      this.send(res, status, result.body, { 'request-id': requestId });
    } catch (err) {
      const e = asHttpError(err);
      status = e.status;
      const body = {
        error: {
          code: e.code,
          message: e.message,
          innerError: {
            date: new Date().toISOString(),
            'request-id': requestId,
            'client-request-id': req.headers['client-request-id'] ?? requestId,
          },
        },
      };
      this.send(res, status, body, { 'request-id': requestId, ...e.headers });
    } finally {
      this.requests.push({ method: req.method ?? '', path, status, body: this.bodies.get(req) });
    }
  }

  private async readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
    const raw = await readRaw(req);
    this.bodies.set(req, raw);
    return parseJson(raw);
  }

  /** Throws the injected error answer, or says whether to drop the connection before or after processing. */
  private applyFault(method: string, path: string): 'before' | 'after' | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method === method) &&
        (!f.pathIncludes || path.includes(f.pathIncludes)) &&
        (!f.pathEndsWith || path.endsWith(f.pathEndsWith)),
    );
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.status === 'reset') return fault.resetAfterProcessing === false ? 'before' : 'after';
    if (fault.status === 403) {
      throw new HttpError(403, 'Authorization_RequestDenied', 'Claims challenge: insufficient_claims.', {
        'www-authenticate':
          'Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiYzEifX19"',
      });
    }
    const headers: Record<string, string> =
      fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
    const code =
      fault.status === 429 ? 'TooManyRequests' : fault.status === 503 ? 'serviceNotAvailable' : 'gatewayTimeout';
    throw new HttpError(
      fault.status,
      code,
      'The request was throttled or the service is unavailable. Retry later.',
      headers,
    );
  }

  private async route(
    req: { method: string; json: () => Promise<Record<string, unknown>>; query?: URLSearchParams },
    path: string,
    roles: string[],
  ): Promise<{ status: number; body?: unknown; headers?: Record<string, string> }> {
    const query = req.query ?? new URLSearchParams();
    const directory = this.directory.route(req.method, path, roles, query);
    if (directory) return directory;
    const helpdesk = await this.helpdesk.route(req.method, path, roles, query, req.json);
    if (helpdesk) return helpdesk;
    const registrations = this.registrations.route(req.method, path, roles, query);
    if (registrations) return registrations;
    const m =
      /^\/(v1\.0|beta)\/users\/([^/]+)\/authentication\/(methods|phoneMethods|signInPreferences)(?:\/([^/]+))?$/.exec(
        path,
      );
    if (!m) throw new HttpError(400, 'BadRequest', `Resource not found for the segment '${path.split('/').pop()}'.`);
    const [, version, userId, collection, itemId] = m as unknown as [
      string,
      string,
      string,
      string,
      string | undefined,
    ];
    const info = this.users.get(decodeURIComponent(userId));
    if (!info)
      throw new HttpError(
        404,
        'Request_ResourceNotFound',
        `Resource '${userId}' does not exist or one of its queried reference-property objects are not present.`,
      );
    const method = req.method;
    const write = method !== 'GET';
    if (write && !roles.some((r) => WRITE_ROLES.includes(r)))
      throw new HttpError(403, 'accessDenied', 'Request Authorization failed');
    // Graph's documented rules, on their own (documented-rules.ts), not the planner's model.
    const save = (op: Operation) =>
      this.users.set(decodeURIComponent(userId), fromDocumented(documentedGraph(toDocumented(info), op), info));

    if (collection === 'signInPreferences') {
      if (version !== 'beta')
        throw new HttpError(400, 'BadRequest', "Resource not found for the segment 'signInPreferences'.");
      if (method === 'GET') {
        return {
          status: 200,
          body: {
            isSystemPreferredAuthenticationMethodEnabled: info.systemPreferredEnabled,
            userPreferredMethodForSecondaryAuthentication: info.defaultMethod ?? null,
          },
        };
      }
      if (method === 'PATCH') {
        const body = await req.json();
        save({
          op: 'setDefault',
          method: (body.userPreferredMethodForSecondaryAuthentication ?? undefined) as DefaultMethod | undefined,
        });
        return { status: 204 };
      }
    }
    if (collection === 'methods' && method === 'GET' && !itemId)
      return { status: 200, body: { value: this.methods(info) } };
    if (collection === 'phoneMethods') {
      const type = itemId
        ? (Object.entries(PHONE_METHOD_IDS).find(([, id]) => id === itemId)?.[0] as PhoneType | undefined)
        : undefined;
      if (itemId && !type) throw new HttpError(404, 'itemNotFound', 'The requested phone method was not found.');
      if (method === 'GET' && !itemId)
        return { status: 200, body: { value: this.methods(info).filter((x) => x.phoneType) } };
      if (method === 'GET' && type) {
        if (!info.phones[type]) throw new HttpError(404, 'itemNotFound', 'The requested phone method was not found.');
        return { status: 200, body: this.phone(type, info.phones[type] as string) };
      }
      if (method === 'POST' && !itemId) {
        const body = await req.json();
        const phoneType = body.phoneType as PhoneType;
        if (!PHONE_TYPES.includes(phoneType)) throw new HttpError(400, 'badRequest', 'Invalid value for phoneType.');
        save({ op: 'createPhone', type: phoneType, number: String(body.phoneNumber ?? '') });
        return { status: 201, body: this.phone(phoneType, String(body.phoneNumber)) };
      }
      if (method === 'PATCH' && type) {
        const body = await req.json();
        if (body.phoneType && body.phoneType !== type)
          throw new HttpError(400, 'badRequest', 'phoneType cannot be changed.');
        save({ op: 'updatePhone', type, number: String(body.phoneNumber ?? '') });
        return { status: 204 };
      }
      if (method === 'DELETE' && type) {
        save({ op: 'deletePhone', type });
        return { status: 204 };
      }
    }
    throw new HttpError(405, 'Request_BadRequest', `${method} is not supported on this resource.`);
  }

  /**
   * JSON batching (POST /{version}/$batch, at most 20 requests): each inner request is routed on its own and answers
   * with its own status, headers and body — including its own throttling (429 + Retry-After).
   */
  private async batch(
    req: { method: string; json: () => Promise<Record<string, unknown>> },
    path: string,
    roles: string[],
  ): Promise<{ status: number; body: unknown }> {
    if (req.method !== 'POST') throw new HttpError(405, 'Request_BadRequest', `${req.method} is not supported.`);
    const version = path.split('/')[1] as string;
    const requests = (await req.json()).requests;
    if (!Array.isArray(requests) || requests.length === 0 || requests.length > 20)
      throw new HttpError(400, 'BadRequest', 'A batch holds 1 to 20 requests.');
    const responses = [];
    for (const inner of requests as { id?: string; method?: string; url?: string; body?: unknown }[]) {
      const [innerUrl, innerQuery] = String(inner.url ?? '')
        .replace(/^\/+/, '')
        .split('?');
      const innerPath = `/${version}/${innerUrl}`;
      const method = String(inner.method ?? 'GET').toUpperCase();
      const requestId = randomUUID();
      try {
        if (this.applyFault(method, innerPath)) throw new HttpError(504, 'gatewayTimeout', 'The request timed out.');
        const result = await this.route(
          {
            method,
            json: async () => (inner.body ?? {}) as Record<string, unknown>,
            query: new URLSearchParams(innerQuery ?? ''),
          },
          innerPath,
          roles,
        );
        responses.push({
          id: inner.id,
          status: result.status,
          headers: { 'request-id': requestId },
          body: result.body,
        });
      } catch (err) {
        const e = asHttpError(err);
        responses.push({
          id: inner.id,
          status: e.status,
          headers: { 'request-id': requestId, ...e.headers },
          body: { error: { code: e.code, message: e.message } },
        });
      }
      this.requests.push({ method, path: innerPath, status: responses.at(-1)?.status ?? 0, inBatch: true });
    }
    return { status: 200, body: { responses } };
  }

  private phone(type: PhoneType, number: string) {
    return {
      '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
      id: PHONE_METHOD_IDS[type],
      phoneNumber: number,
      phoneType: type,
      smsSignInState: type === 'mobile' ? 'notEnabled' : 'notSupported',
    };
  }

  private methods(info: SecurityInfo): Record<string, unknown>[] {
    const phones = PHONE_TYPES.filter((t) => info.phones[t]).map((t) => this.phone(t, info.phones[t] as string));
    const listed: ListedMethod[] = info.listed ?? info.others.map((kind) => ({ kind }));
    const others = listed.map((m, i) => ({
      '@odata.type': LISTED_ODATA[m.kind],
      id: m.id ?? `${m.kind}-${i}`,
      ...methodProperties(m),
      ...(m.createdAt !== undefined ? { createdDateTime: new Date(m.createdAt).toISOString() } : {}),
    }));
    return [
      { '@odata.type': '#microsoft.graph.passwordAuthenticationMethod', id: '28c10230-6103-485e-b985-444c60001490' },
      ...phones,
      ...others,
    ];
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
    // Not chained: restify (same process) patches writeHead without returning `this`.
    res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }
}
