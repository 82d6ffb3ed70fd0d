// The world around real Proofup processes for the fault suite: simulated Entra ID and Graph (HTTPS, with holds and
// faults), a Bot Framework token issuer, a capturing Bot Connector, an ACS stand-in, and helpers that act as a user's
// browser and Teams client. Bot processes are spawned as children and may be killed with SIGKILL at any moment.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { generateKeyPair } from 'jose';
import { type AuditRecord, SqliteAuditLog } from '../../src/audit/audit-log.js';
import { TableAuditLog } from '../../src/audit/table-audit-log.js';
import type { SecurityInfo } from '../../src/graph/auth-methods.js';
import type { DemoUser } from '../../src/sandbox/entra/demo-directory.js';
import { EntraSimulator } from '../../src/sandbox/entra/entra-simulator.js';
import { ensureSandboxCertificate, type TlsMaterial } from '../../src/sandbox/entra/tls.js';
import { GRAPH_APP_ROLES, GraphSimulator } from '../../src/sandbox/graph/graph-simulator.js';
import { type AcsStandIn, startAcsStandIn } from '../helpers/acs-standin.js';
import { type BotFrameworkIssuer, startBotFrameworkIssuer } from '../helpers/bot-framework-issuer.js';
import { type CapturingConnector, startCapturingConnector } from '../helpers/capturing-connector.js';
import { freePort } from '../helpers/ports.js';
import { callback, exchange, openStart, requestSignIn, signInAtEntra } from '../helpers/step-up-flow.js';
import { productionEnv, TEST_APP_ID, TEST_TENANT_ID, type TestBot } from '../helpers/test-bot.js';

export interface FaultUser extends DemoUser {
  oldMobile: string;
  newMobile: string;
}

export interface BotProcess {
  name: string;
  pid: number;
  url: string;
  logs: string[];
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export interface Chat {
  user: FaultUser;
  conversation: { id: string; conversationType: string; isGroup: boolean; name: string };
  from: { id: string; name: string; aadObjectId: string };
  flowId: string;
}

const e164 = (graph: string) => graph.replace(' ', '');

export function makeUsers(count: number, prefix = 'fa'): FaultUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(2, '0');
    // The first hundred keep the fictional 555-01xx numbers; more people (the bench's BENCH_CHANGES) get their own
    // ranges and ids, so that the 101st is not the 11th again.
    const wide = String(i).padStart(4, '0');
    return {
      oid: i < 100 ? `0${prefix}17000-0000-4000-8000-0000000000${n}` : `0${prefix}17000-0000-4000-8001-00000000${wide}`,
      upn: `user${prefix}${n}@contoso.test`,
      name: `Fault User ${prefix}${n}`,
      oldMobile: i < 100 ? `+1 42555501${n}` : `+1 425556${wide}`,
      newMobile: i < 100 ? `+1 42555502${n}` : `+1 425557${wide}`,
    };
  });
}

export class FaultHarness {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'proofup-faults-'));
  readonly processes: BotProcess[] = [];
  tls!: TlsMaterial;
  entra!: EntraSimulator;
  graph!: GraphSimulator;
  issuer!: BotFrameworkIssuer;
  connector!: CapturingConnector;
  acs!: AcsStandIn;
  private caFile = '';

  /** `people`: more people who can sign in (e.g. the sandbox directory's helpdesk agents and their callers). */
  constructor(
    readonly users: FaultUser[],
    private readonly people: DemoUser[] = [],
  ) {}

  async start(): Promise<void> {
    this.tls = await ensureSandboxCertificate(this.dir);
    this.caFile = path.join(this.dir, 'ca.pem');
    writeFileSync(this.caFile, this.tls.cert);
    this.issuer = await startBotFrameworkIssuer(TEST_APP_ID);
    const { publicKey } = await generateKeyPair('RS256');
    this.connector = await startCapturingConnector({ key: publicKey, issuer: 'x', audience: 'x', requireAuth: false });
    this.acs = await startAcsStandIn(this.tls);
    const entraPort = await freePort();
    this.entra = new EntraSimulator(
      this.tls,
      {
        clientId: TEST_APP_ID,
        clientSecret: 'offline-test-secret',
        redirectUris: ['https://proofup.offline.test/auth/callback'],
        appRoles: GRAPH_APP_ROLES,
      },
      { tenantId: TEST_TENANT_ID, users: [...this.users, ...this.people] },
    );
    await this.entra.start(entraPort);
    this.graph = new GraphSimulator(this.tls, (token) => this.entra.verifyAppToken(token, this.graph.url));
    await this.graph.start(await freePort());
    this.resetGraph();
  }

  resetGraph(): void {
    this.graph.users.clear();
    for (const u of this.users)
      this.graph.users.set(u.oid, {
        phones: { mobile: u.oldMobile },
        others: ['microsoftAuthenticator'],
        defaultMethod: 'sms',
        systemPreferredEnabled: false,
      } satisfies SecurityInfo);
    this.graph.requests.length = 0;
  }

  env(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...productionEnv(this.issuer, dataDir),
      ENTRA_AUTHORITY_HOST: this.entra.authorityHost,
      GRAPH_BASE_URL: this.graph.url,
      ACS_CONNECTION_STRING: this.acs.connectionString,
      FAULT_CA_FILE: this.caFile,
      NODE_EXTRA_CA_CERTS: this.caFile, // the ACS SDKs in the child trust the stand-in like a real endpoint
      LOG_LEVEL: 'info',
      GRAPH_TIMEOUT_MS: '4000',
      FLOW_LEASE_SECONDS: '8',
      SWEEP_INTERVAL_SECONDS: '1',
      PASSKEY_CHECK_SECONDS: '5',
      ...extra,
    };
  }

  async spawnBot(
    name: string,
    env: Record<string, string>,
    nodeArgs: string[] = [],
    entry = 'test/faults/bot-process.ts',
  ): Promise<BotProcess> {
    const port = await freePort();
    const child: ChildProcess = spawn(
      process.execPath,
      [...nodeArgs, '--disable-warning=DEP0111', '--import', 'tsx', entry],
      { env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const logs: string[] = [];
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${logs.join('')}`)), 30_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        logs.push(text);
        const ready = /READY (\S+)/.exec(text);
        if (ready) {
          clearTimeout(timer);
          resolve(ready[1] as string);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${logs.join('')}`)));
    });
    const proc: BotProcess = {
      name,
      pid: child.pid ?? 0,
      url,
      logs,
      kill9: async () => {
        child.kill('SIGKILL');
        await exited;
      },
      stop: async () => {
        child.kill('SIGTERM');
        await exited;
      },
    };
    this.processes.push(proc);
    return proc;
  }

  /** A TestBot-shaped client for one bot process (the step-up helpers drive it like a browser and Teams would). */
  /** The sign-in card's link → Entra → back; the code returns through Teams' signin/verifyState (as in Teams). */
  async signInThroughTeams(
    bot: BotProcess,
    chat: { conversation: { id: string } } & Partial<Activity>,
    user: DemoUser,
  ): Promise<void> {
    const client = this.client(bot);
    const isSignIn = (c: { conversationId?: string; body: unknown }) =>
      c.conversationId === chat.conversation.id && /auth\/start\?s=/.test(JSON.stringify(c.body));
    const card = await this.connector.waitFor(isSignIn, 10_000);
    const url = /(https?:\/\/[^"]+\/auth\/start\?s=[^"]+)/.exec(JSON.stringify(card.body))?.[1] as string;
    const start = await openStart(client, url);
    const page = await callback(client, await signInAtEntra(client, start.headers.get('location') ?? '', user));
    await client.send(
      client.activity({
        ...chat,
        type: 'invoke',
        name: 'signin/verifyState',
        value: { state: page.code },
      } as Partial<Activity>),
    );
  }

  client(bot: BotProcess): TestBot {
    const connector = this.connector;
    const issuer = this.issuer;
    return {
      url: bot.url,
      caPem: this.tls.cert,
      connector,
      issuer,
      activity: (overrides: Partial<Activity> = {}) => ({
        type: 'message',
        id: randomUUID(),
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        recipient: { id: `28:${TEST_APP_ID}`, name: 'Proofup' },
        channelData: { tenant: { id: TEST_TENANT_ID } },
        timestamp: new Date(),
        ...overrides,
        conversation: { tenantId: TEST_TENANT_ID, ...(overrides.conversation ?? {}) } as Activity['conversation'],
      }),
      send: async (body: Partial<Activity>) =>
        fetch(`${bot.url}/api/messages`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${await issuer.mint({ serviceUrl: body.serviceUrl ?? connector.serviceUrl })}`,
          },
          body: JSON.stringify(body),
        }),
    } as unknown as TestBot;
  }

  /** Sign-in (Teams path: verifyState), then the security-info card; returns the chat with its flow id. */
  async verified(bot: BotProcess, user: FaultUser, conversationId = `a:${user.oid}`): Promise<Chat> {
    const client = this.client(bot);
    const chat = {
      conversation: { id: conversationId, conversationType: 'personal', isGroup: false, name: '' },
      from: { id: `29:${user.oid}`, name: user.name, aadObjectId: user.oid },
    };
    const start = await openStart(client, await requestSignIn(client, chat));
    const page = await callback(client, await signInAtEntra(client, start.headers.get('location') ?? '', user));
    await exchange(client, {
      ...chat,
      type: 'invoke',
      name: 'signin/verifyState',
      value: { state: page.code },
      text: undefined,
    });
    const menu = await this.connector.waitFor(
      (c) => c.conversationId === conversationId && JSON.stringify(c.body).includes('Your sign-in security info'),
      10_000,
    );
    const flowId = /"flowId":"([0-9a-f-]{36})"/.exec(JSON.stringify(menu.body))?.[1] ?? '';
    return { ...chat, user, flowId };
  }

  async submit(
    bot: BotProcess,
    chat: Chat,
    value: Record<string, unknown>,
    id: string = randomUUID(),
  ): Promise<number> {
    const client = this.client(bot);
    const res = await client.send(
      client.activity({
        conversation: chat.conversation as never,
        from: chat.from,
        id,
        value: { flowId: chat.flowId, ...value },
      }),
    );
    return res.status;
  }

  /** Mobile change up to the confirm card: number → code from the SMS to the new number → code. */
  async toConfirm(bot: BotProcess, chat: Chat, other: BotProcess = bot): Promise<void> {
    await this.submit(bot, chat, { action: 'sec.editPhone', phoneType: 'mobile' });
    await this.submit(other, chat, { action: 'sec.submitNumber', country: 'US', number: chat.user.newMobile.slice(3) });
    const code = await this.waitFor(() => {
      const sms = this.acs.messages.filter((m) => m.kind === 'sms' && m.to === e164(chat.user.newMobile)).at(-1);
      return /^(\d{6}) /.exec(sms?.text ?? '')?.[1];
    });
    await this.submit(bot, chat, { action: 'sec.submitCode', code });
    await this.connector.waitFor(
      (c) => c.conversationId === chat.conversation.id && JSON.stringify(c.body).includes('Confirm the change'),
      20_000,
    );
  }

  /** Warnings and errors the bot processes logged (pino levels 40 and up). */
  problems(): string[] {
    return this.processes.flatMap((p) => p.logs.join('').split('\n')).filter((l) => /"level":(40|50|60)/.test(l));
  }

  async waitFor<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  // --- what the world saw, per user -------------------------------------------------------------------------

  /** Graph writes for this user that Graph processed (answered or not), as "METHOD item body": one per step. */
  processedWrites(user: FaultUser): string[] {
    return this.graph.requests
      .filter(
        (r) => r.method !== 'GET' && r.path.includes(user.oid) && ((r.status >= 200 && r.status < 300) || r.status < 0),
      )
      .map((r) => `${r.method} ${r.path.split('/').at(-1)} ${r.body ?? ''}`);
  }

  graphOutcome(user: FaultUser, requested: (info: SecurityInfo) => boolean): 'old' | 'requested' | 'between' {
    const info = this.graph.users.get(user.oid) as SecurityInfo;
    if (requested(info)) return 'requested';
    const old = info.phones.mobile === user.oldMobile && info.defaultMethod === 'sms' && !info.phones.alternateMobile;
    return old ? 'old' : 'between';
  }

  /** The last flow result shown in the user's chat ("Done" / "Not changed" / …), if any. */
  toldResult(chat: Chat): 'done' | 'not-changed' | undefined {
    const bodies = this.connector.calls
      .filter((c) => c.conversationId === chat.conversation.id && !c.refused) // a refused card never reached the chat
      .map((c) => JSON.stringify(c.body));
    const last = bodies.filter((b) => /"text":"(Done|Not changed)"/.test(b)).at(-1);
    if (!last) return undefined;
    return /"text":"Done"/.test(last) ? 'done' : 'not-changed';
  }

  notifications(user: FaultUser): { email: number; sms: number } {
    return {
      email: this.acs.messages.filter((m) => m.kind === 'email' && m.to === user.upn).length,
      sms: this.acs.messages.filter((m) => m.kind === 'sms' && m.to === e164(user.oldMobile)).length,
    };
  }

  async audit(kind: 'sqlite' | 'table', where: string): Promise<AuditRecord[]> {
    const log = kind === 'sqlite' ? new SqliteAuditLog(where) : new TableAuditLog(where, 'proofupaudit');
    const records = await log.since(new Date(Date.now() - 3600_000));
    await log.close();
    return records;
  }

  async close(): Promise<void> {
    for (const p of this.processes) await p.kill9().catch(() => undefined);
    await Promise.all([
      this.issuer?.close(),
      this.connector?.close(),
      this.entra?.stop(),
      this.graph?.stop(),
      this.acs?.stop(),
    ]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
