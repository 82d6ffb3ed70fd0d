// "Exactly once, always told", tried on real processes and real storage. SQLite: kill -9 of the bot at 9 points of
// apply, then a restart; a write that landed but whose answer was lost; answers slower than the Graph timeout;
// 10 identical confirms at once; the same activity delivered twice; a number submitted 10 times; ACS down 6 minutes
// and the Bot Connector refusing 2 minutes, with production retry timings. Azure Blob on
// Azurite: 2 instances × 20 users, identical confirms split over both, and an instance killed while applying.
// After each: Graph is old or requested (never between), each Graph step was processed once, the user was told the
// true result, exactly one set of notifications went out, and the audit matches Graph. The counts are printed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecurityInfo } from '../../src/graph/auth-methods.js';
import { addPasskey } from '../../src/sandbox/graph/my-sign-ins.js';
import { type Azurite, startAzurite } from '../helpers/azurite.js';
import { leakingLines } from '../helpers/leak-scan.js';
import { type BotProcess, type Chat, FaultHarness, type FaultUser, makeUsers } from './harness.js';
import { gate, table } from './report.js';

const users = makeUsers(60);
const h = new FaultHarness(users);
const rows: Record<string, unknown>[] = [];
let next = 0;
const nextUser = () => users[next++] as FaultUser;

const changed = (u: FaultUser) => (i: SecurityInfo) => i.phones.mobile === u.newMobile;
const removed = () => (i: SecurityInfo) => !i.phones.mobile && i.defaultMethod === 'push';
const TERMINAL = new Set(['done', 'rolled-back', 'rollback-failed', 'failed']);

interface Outcome {
  scenario: string;
  graph: string;
  told?: string;
  writes: number;
  maxPerStep: number;
  emails: number;
  sms: number;
  audit: string;
  lateNotices?: string;
}

async function outcome(
  scenario: string,
  chat: Chat,
  requested: (i: SecurityInfo) => boolean,
  audit: { kind: 'sqlite' | 'table'; where: string },
): Promise<Outcome> {
  const user = chat.user;
  await h.waitFor(() => h.toldResult(chat), 30_000);
  // The change's audit record comes after its notices in the outbox's order: once it is there, every notice has been
  // tried, so the counts below are final (polled with a deadline, not a fixed sleep).
  const isTerminal = (r: { action: string; result: string }) => r.action !== 'notified' && TERMINAL.has(r.result);
  let records = (await h.audit(audit.kind, audit.where)).filter((r) => r.flowId === chat.flowId);
  for (const deadline = Date.now() + 15_000; !records.some(isTerminal) && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 100));
    records = (await h.audit(audit.kind, audit.where)).filter((r) => r.flowId === chat.flowId);
  }
  const writes = h.processedWrites(user);
  const perStep = new Map<string, number>();
  for (const w of writes) perStep.set(w, (perStep.get(w) ?? 0) + 1);
  // The change's own record; a notice that went out late has a record of its own ('notified'), counted apart.
  const terminal = records.filter(isTerminal);
  const late = records.filter((r) => r.action === 'notified');
  const n = h.notifications(user);
  const result: Outcome = {
    scenario,
    graph: h.graphOutcome(user, requested),
    told: h.toldResult(chat),
    writes: writes.length,
    maxPerStep: Math.max(0, ...perStep.values()),
    emails: n.email,
    sms: n.sms,
    audit: terminal.map((r) => r.result).join('+') || 'none',
    ...(late.length ? { lateNotices: late.map((r) => `${r.result} ${r.reason?.split(':')[0]}`).join('+') } : {}),
  };
  rows.push({ ...result });
  return result;
}

/**
 * The invariants every scenario must keep, and the outcome it must reach: the change done (Graph as requested) —
 * unless the scenario is one where Graph keeps refusing, which must end rolled back ('old').
 */
function expectExactlyOnceAndTold(o: Outcome, reaches: 'requested' | 'old' = 'requested'): void {
  expect(o.graph, `${o.scenario}: Graph ends ${reaches}`).toBe(reaches);
  expect(o.maxPerStep, `${o.scenario}: a Graph step processed twice`).toBeLessThanOrEqual(1);
  expect(o.told, `${o.scenario}: told`).toBe(o.graph === 'requested' ? 'done' : 'not-changed');
  const notices = o.graph === 'requested' ? 1 : 0;
  expect({ emails: o.emails, sms: o.sms }, `${o.scenario}: notifications`).toEqual({ emails: notices, sms: notices });
  expect(o.audit, `${o.scenario}: audit`).toBe(o.graph === 'requested' ? 'done' : 'rolled-back');
}

beforeAll(async () => {
  await h.start();
});

afterAll(async () => {
  const kinds = new Map<string, number>();
  for (const line of h.problems()) {
    const raw = /"msg":"([^"]*)/.exec(line)?.[1] ?? line;
    const msg = raw.replace(/\[[^\]]*\] : /g, '').slice(0, 90); // msal prefixes a time and a correlation id
    kinds.set(msg, (kinds.get(msg) ?? 0) + 1);
  }
  const report =
    `\nFault suite — per scenario (writes = Graph writes processed for that user):\n${table(rows)}\n` +
    `\nWarnings/errors the bot processes logged, by message:\n${[...kinds].map(([m, n]) => `${String(n).padStart(4)}  ${m}`).join('\n')}\n`;
  process.stdout.write(report);
  mkdirSync('test-results', { recursive: true });
  writeFileSync(path.join('test-results', 'faults-summary.txt'), report);
  // The fault users' numbers, in any formatting, and anything the masker would still change: never in a bot's log.
  const numbers = users
    .flatMap((u) => [u.oldMobile, u.newMobile])
    .map((n) => new RegExp(n.replace(/\D/g, '').slice(1).split('').join('[\\s().-]{0,2}')));
  const lines = h.processes.flatMap((p) => p.logs.join('').split('\n')).filter(Boolean);
  const leaks = [...leakingLines(lines), ...lines.filter((l) => numbers.some((re) => re.test(l)))];
  expect(leaks.slice(0, 3)).toEqual([]);
  await h.close();
});

describe('SQLite, one instance: kill -9 at each point of apply, then restart', () => {
  const dataDir = path.join(h.dir, 'sqlite');
  const audit = { kind: 'sqlite' as const, where: path.join(dataDir, 'audit.db') };
  let bot: BotProcess;

  beforeAll(async () => {
    bot = await h.spawnBot('sqlite-1', h.env(dataDir));
  });

  async function killDuringConfirm(
    scenario: string,
    prepare: (chat: Chat) => Promise<void>,
    arm: (chat: Chat, g: ReturnType<typeof gate>) => void,
    requested: (u: FaultUser) => (i: SecurityInfo) => boolean,
    rejectHeld: boolean,
  ): Promise<Outcome> {
    const user = nextUser();
    const chat = await h.verified(bot, user);
    await prepare(chat);
    const g = gate();
    arm(chat, g);
    const confirm = h.submit(bot, chat, { action: 'sec.confirm' }).catch(() => 0);
    await g.hit;
    await bot.kill9();
    g.release(true);
    void rejectHeld;
    await confirm;
    h.graph.hold = undefined;
    h.connector.hold = undefined;
    h.acs.hold = undefined;
    bot = await h.spawnBot(`after ${scenario}`, h.env(dataDir));
    return outcome(scenario, chat, requested(user), audit);
  }

  const mobile = (chat: Chat) => h.toConfirm(bot, chat);
  const removal = async (chat: Chat) => {
    await h.submit(bot, chat, { action: 'sec.removePhone', phoneType: 'mobile' });
    await h.connector.waitFor(
      (c) => c.conversationId === chat.conversation.id && JSON.stringify(c.body).includes('Confirm the change'),
    );
  };
  const graphHold =
    (method: string, pathPart: string, stage: 'received' | 'processed') => (chat: Chat, g: ReturnType<typeof gate>) => {
      h.graph.hold = (s, r) =>
        g.hold(
          s === stage && r.method === method && r.path.includes(chat.user.oid) && r.path.includes(pathPart),
          stage === 'received',
        );
    };
  const connectorHold = (text: string) => (chat: Chat, g: ReturnType<typeof gate>) => {
    h.connector.hold = (c) =>
      g.hold(c.conversationId === chat.conversation.id && c.method === 'PUT' && JSON.stringify(c.body).includes(text));
  };
  const acsHold = (kind: 'email' | 'sms') => (chat: Chat, g: ReturnType<typeof gate>) => {
    h.acs.hold = (m) =>
      g.hold(
        m.kind === kind && (kind === 'email' ? m.to === chat.user.upn : m.to === chat.user.oldMobile.replace(' ', '')),
      );
  };

  const points: [
    string,
    (c: Chat) => Promise<void>,
    (c: Chat, g: ReturnType<typeof gate>) => void,
    (u: FaultUser) => (i: SecurityInfo) => boolean,
  ][] = [
    ['kill: Graph write received, not processed', mobile, graphHold('PATCH', 'phoneMethods', 'received'), changed],
    ['kill: Graph write processed, answer not back', mobile, graphHold('PATCH', 'phoneMethods', 'processed'), changed],
    ['kill: "Applying…" card update in flight', mobile, connectorHold('Applying your change'), changed],
    ['kill: e-mail at ACS, not acknowledged', mobile, acsHold('email'), changed],
    ['kill: SMS to old number at ACS, not acknowledged', mobile, acsHold('sms'), changed],
    ['kill: result card update in flight', mobile, connectorHold('"Done"'), changed],
    [
      'kill: 2-step removal, step 1 processed, answer not back',
      removal,
      graphHold('PATCH', 'signInPreferences', 'processed'),
      removed,
    ],
    [
      'kill: 2-step removal, step 2 received, not processed',
      removal,
      graphHold('DELETE', 'phoneMethods', 'received'),
      removed,
    ],
    [
      'kill: 2-step removal, step 2 processed, answer not back',
      removal,
      graphHold('DELETE', 'phoneMethods', 'processed'),
      removed,
    ],
  ];

  it.each(points)('%s', async (scenario, prepare, arm, requested) => {
    const o = await killDuringConfirm(scenario, prepare, arm, requested, false);
    expectExactlyOnceAndTold(o);
  });

  it('kill: during the rollback (step 2 keeps failing, the undo of step 1 in flight)', async () => {
    const user = nextUser();
    const chat = await h.verified(bot, user);
    await removal(chat);
    h.graph.inject({ status: 503, times: Number.POSITIVE_INFINITY, method: 'DELETE', pathIncludes: user.oid });
    const g = gate();
    let patches = 0;
    h.graph.hold = (s, r) => {
      const undo = s === 'received' && r.method === 'PATCH' && r.path.includes(user.oid) && ++patches === 2;
      return g.hold(undo, true);
    };
    const confirm = h.submit(bot, chat, { action: 'sec.confirm' }).catch(() => 0);
    await g.hit;
    await bot.kill9();
    g.release(true);
    await confirm;
    h.graph.hold = undefined;
    bot = await h.spawnBot('after rollback kill', h.env(dataDir));
    const o = await outcome('kill: rollback in flight', chat, removed(), audit);
    h.graph.clearFaults();
    expectExactlyOnceAndTold(o, 'old'); // step 2 keeps failing: rolled back, and told so
  });

  it('a Graph write that landed but whose answer was lost (connection reset) is settled by reading back', async () => {
    const user = nextUser();
    const chat = await h.verified(bot, user);
    await h.toConfirm(bot, chat);
    h.graph.inject({ status: 'reset', method: 'PATCH', pathIncludes: user.oid });
    await h.submit(bot, chat, { action: 'sec.confirm' });
    expectExactlyOnceAndTold(await outcome('write landed, answer lost (reset)', chat, changed(user), audit));
  });

  it('an answer slower than the Graph timeout (4 s) is settled by reading back, not reported as failed', async () => {
    const user = nextUser();
    const chat = await h.verified(bot, user);
    await h.toConfirm(bot, chat);
    h.graph.hold = async (s, r) => {
      if (s === 'processed' && r.method === 'PATCH' && r.path.includes(user.oid))
        await new Promise((x) => setTimeout(x, 5000));
    };
    await h.submit(bot, chat, { action: 'sec.confirm' });
    await h.waitFor(() => h.toldResult(chat), 30_000);
    await new Promise((r) => setTimeout(r, 1500)); // the slow answer arrives (to nobody) after the result
    const o = await outcome('write landed, answer after the timeout', chat, changed(user), audit);
    h.graph.hold = undefined;
    expectExactlyOnceAndTold(o);
    expect(o.writes).toBe(1);
  });

  it(
    'ACS down for 6 minutes after Confirm (production retry timings): one e-mail and one SMS once it is back',
    async () => {
      const user = nextUser();
      const chat = await h.verified(bot, user);
      await h.toConfirm(bot, chat);
      h.acs.unavailable = true;
      const downAt = Date.now();
      let resultAfterS = 0;
      try {
        await h.submit(bot, chat, { action: 'sec.confirm' });
        await h.waitFor(() => h.toldResult(chat), 60_000);
        resultAfterS = Math.round((Date.now() - downAt) / 1000);
        // The result is shown once each notice had its quick tries, and says the notice is still being tried (never "e-mailed" while it was not).
        const cards = h.connector.calls.filter((c) => c.conversationId === chat.conversation.id && !c.refused);
        expect(JSON.stringify(cards.at(-1)?.body)).toMatch(/could not be sent yet.*I keep trying/);
        await new Promise((r) => setTimeout(r, 6 * 60_000 - (Date.now() - downAt)));
      } finally {
        h.acs.unavailable = false;
      }
      const upAt = Date.now();
      await h.waitFor(() => {
        const n = h.notifications(user);
        return n.email >= 1 && n.sms >= 1 ? true : undefined;
      }, 8 * 60_000);
      // Each late notice is audited right after ACS takes it: polled with a deadline, not read at the instant it left.
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
        const late = (await h.audit(audit.kind, audit.where)).filter(
          (r) => r.flowId === chat.flowId && r.action === 'notified',
        );
        if (late.length >= 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const o = await outcome('ACS down 6 min after Confirm', chat, changed(user), audit);
      rows[rows.length - 1] = { ...rows.at(-1), resultAfterS, sentAfterBackS: Math.round((Date.now() - upAt) / 1000) };
      expectExactlyOnceAndTold(o);
      expect(o.lateNotices).toBe('done email+done sms'); // each late notice audited once when it went out
      await h.waitFor(
        () =>
          /We e-mailed you a notice/.test(
            JSON.stringify(
              h.connector.calls.filter((c) => c.conversationId === chat.conversation.id && !c.refused).at(-1)?.body,
            ),
          ) || undefined,
        30_000,
      );
    },
    16 * 60_000,
  );

  it(
    'the Bot Connector refuses every call for 2 minutes from Confirm (production retry timings): Graph once, "Done" arrives when it is back',
    async () => {
      // Production timings, the lease included (FLOW_LEASE_SECONDS 90, not the suite's 8): one refused card takes the
      // connector's own retries (~9 s), longer than an 8 s lease, and the sweep would take the flow over mid-delivery.
      const own = path.join(h.dir, 'sqlite-connector');
      const prod = await h.spawnBot('connector-outage', h.env(own, { FLOW_LEASE_SECONDS: '90' }));
      const ownAudit = { kind: 'sqlite' as const, where: path.join(own, 'audit.db') };
      const user = nextUser();
      const chat = await h.verified(prod, user);
      await h.toConfirm(prod, chat);
      h.connector.refuse = () => 503;
      const downAt = Date.now();
      let writtenAfterS = 0;
      try {
        await h.submit(prod, chat, { action: 'sec.confirm' }).catch(() => 0);
        // The refused "Applying…" card waits for its retry; the change goes on.
        const confirmedAt = Date.now();
        await h.waitFor(() => (h.graphOutcome(user, changed(user)) === 'requested' ? true : undefined), 90_000);
        writtenAfterS = Math.round((Date.now() - confirmedAt) / 1000);
        await new Promise((r) => setTimeout(r, 2 * 60_000 - (Date.now() - downAt)));
        expect(h.toldResult(chat)).toBeUndefined(); // nothing reached the chat during the outage
      } finally {
        h.connector.refuse = undefined;
      }
      const upAt = Date.now();
      await h.waitFor(() => h.toldResult(chat), 6 * 60_000);
      const o = await outcome('Bot Connector refusing 2 min from Confirm', chat, changed(user), ownAudit);
      rows[rows.length - 1] = { ...rows.at(-1), writtenAfterS, toldAfterBackS: Math.round((Date.now() - upAt) / 1000) };
      await prod.stop();
      expectExactlyOnceAndTold(o);
    },
    10 * 60_000,
  );

  it('10 identical confirm submits at once: one write, one set of notifications, one audit record', async () => {
    const user = nextUser();
    const chat = await h.verified(bot, user);
    await h.toConfirm(bot, chat);
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () => h.submit(bot, chat, { action: 'sec.confirm' })),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const o = await outcome('10 identical confirms at once', chat, changed(user), audit);
    expectExactlyOnceAndTold(o);
    expect(o.writes).toBe(1);
  });

  it('the same activity delivered twice (at once and again later) is processed once', async () => {
    const user = nextUser();
    const chat = await h.verified(bot, user);
    await h.toConfirm(bot, chat);
    const id = 'redelivered-confirm-1';
    await Promise.all([
      h.submit(bot, chat, { action: 'sec.confirm' }, id),
      h.submit(bot, chat, { action: 'sec.confirm' }, id),
    ]);
    const o = await outcome('same activity twice', chat, changed(user), audit);
    const answers = h.connector.calls.filter((c) => c.conversationId === chat.conversation.id).length;
    expect(await h.submit(bot, chat, { action: 'sec.confirm' }, id)).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.connector.calls.filter((c) => c.conversationId === chat.conversation.id).length).toBe(answers);
    const staleNotes = h.connector.calls.filter(
      (c) =>
        c.conversationId === chat.conversation.id &&
        /being applied|already finished|earlier or finished/.test(JSON.stringify(c.body)),
    ).length;
    rows[rows.length - 1] = {
      ...rows[rows.length - 1],
      scenario: `same activity twice (extra answers: ${staleNotes})`,
    };
    expect(staleNotes).toBe(0);
    expectExactlyOnceAndTold(o);
  });

  it('a press lost in a crash (kill -9 before its transition was stored) is processed when Teams redelivers it', async () => {
    const user = nextUser();
    const chat = await h.verified(bot, user);
    await h.toConfirm(bot, chat);
    // "Confirm" reads the security info before its transition: the process dies while that read is at Graph.
    const g = gate();
    h.graph.hold = (stage, req) => g.hold(stage === 'received' && req.method === 'POST' && req.path.endsWith('$batch'));
    const id = 'confirm-lost-in-a-crash';
    const first = h.submit(bot, chat, { action: 'sec.confirm' }, id).catch(() => 0);
    await g.hit;
    await bot.kill9();
    g.release(true);
    await first;
    h.graph.hold = undefined;
    bot = await h.spawnBot('after a lost press', h.env(dataDir));
    // Teams redelivers the same activity: processed now (it was never marked), and once only.
    expect(await h.submit(bot, chat, { action: 'sec.confirm' }, id)).toBe(200);
    const o = await outcome('press lost in a crash, redelivered', chat, changed(user), audit);
    expectExactlyOnceAndTold(o);
    // And once more after it went through: recognised, nothing new in the chat.
    const answers = h.connector.calls.filter((c) => c.conversationId === chat.conversation.id).length;
    expect(await h.submit(bot, chat, { action: 'sec.confirm' }, id)).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.connector.calls.filter((c) => c.conversationId === chat.conversation.id).length).toBe(answers);
  });

  it('a passkey watch survives kill -9, twice: one confirmation, one audit record, one e-mail', async () => {
    const user = nextUser();
    const chat = await h.verified(bot, user);
    const inChat = (text: string) =>
      h.connector.calls.filter(
        (c) => c.conversationId === chat.conversation.id && JSON.stringify(c.body).includes(text),
      );
    await h.submit(bot, chat, { action: 'passkey.start' });
    await h.submit(bot, chat, { action: 'passkey.added' }); // nothing there yet: the watch starts
    await h.waitFor(() => inChat("I'll keep checking for 15 minutes").length > 0);
    // No instance runs while the person adds the passkey at Microsoft.
    await bot.kill9();
    addPasskey(h.graph.users, user.oid, 'windows');
    // The restarted instance's sweep sees it; kill it again while the e-mail about it is at ACS.
    const g = gate();
    h.acs.hold = (m) => g.hold(m.kind === 'email' && m.to === user.upn);
    bot = await h.spawnBot('passkey watch (1)', h.env(dataDir));
    await g.hit;
    await bot.kill9();
    g.release(true);
    h.acs.hold = undefined;
    bot = await h.spawnBot('passkey watch (2)', h.env(dataDir));
    await h.waitFor(() => inChat('Your passkey is set up').length > 0, 30_000);
    await h.waitFor(() => h.acs.messages.some((m) => m.kind === 'email' && m.to === user.upn), 20_000);
    await new Promise((r) => setTimeout(r, 2_000)); // two more sweeps: nothing else may follow
    const audit = (await h.audit('sqlite', path.join(dataDir, 'audit.db'))).filter(
      (r) => r.action === 'passkeyAdded' && r.actorOid === user.oid,
    );
    const emails = h.acs.messages.filter((m) => m.kind === 'email' && m.to === user.upn).length;
    // One card: posted once, or the watching card replaced (a PUT repeated after a crash is still that one card).
    const shown = inChat('Your passkey is set up');
    const confirmations =
      shown.filter((c) => c.method === 'POST').length +
      new Set(shown.filter((c) => c.method === 'PUT').map((c) => c.path)).size;
    rows.push({ scenario: 'passkey watch, kill -9 twice', audit: audit.length, emails, confirmations });
    expect(audit).toHaveLength(1);
    expect(emails).toBe(1);
    expect(confirmations).toBe(1);
  });

  it('a number submitted 10 times at once sends one code', async () => {
    const user = nextUser();
    const chat = await h.verified(bot, user);
    await h.submit(bot, chat, { action: 'sec.editPhone', phoneType: 'mobile' });
    await Promise.all(
      Array.from({ length: 10 }, () =>
        h.submit(bot, chat, { action: 'sec.submitNumber', country: 'US', number: user.newMobile.slice(3) }),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    const codes = h.acs.messages.filter((m) => m.kind === 'sms' && m.to === user.newMobile.replace(' ', '')).length;
    rows.push({ scenario: 'number submitted 10× at once', codeSms: codes });
    expect(codes).toBe(1);
  });

  afterAll(async () => {
    await bot?.stop();
  });
});

describe('Azure Blob on Azurite, two instances', () => {
  let azurite: Azurite;
  let a: BotProcess;
  let b: BotProcess;
  const audit = () => ({ kind: 'table' as const, where: azurite.connectionString });

  const env = (name: string, extra: Record<string, string> = {}) =>
    h.env(path.join(h.dir, name), {
      STORAGE: 'blob',
      BLOB_CONNECTION_STRING: azurite.connectionString,
      BLOB_CONTAINER: 'faults',
      ...extra,
    });

  beforeAll(async () => {
    azurite = await startAzurite();
    a = await h.spawnBot('blob-a', env('blob-a'));
    b = await h.spawnBot('blob-b', env('blob-b'));
  }, 90_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop().catch(() => undefined);
    await azurite?.stop();
  });

  it('20 users at once, every turn alternating between the two instances: all changed once, 0 eTag failures', async () => {
    const group = Array.from({ length: 20 }, () => nextUser());
    const statuses: number[] = [];
    const chats = await Promise.all(
      group.map(async (user, i) => {
        const [first, second] = i % 2 ? [a, b] : [b, a];
        const chat = await h.verified(first, user);
        await h.toConfirm(first, chat, second);
        statuses.push(await h.submit(second, chat, { action: 'sec.confirm' }));
        return chat;
      }),
    );
    const outcomes = [];
    for (const chat of chats) {
      const o = await outcome('blob 2×20', chat, changed(chat.user), audit());
      outcomes.push(o);
      if (o.graph !== 'requested') {
        // Not a failure by itself (nothing changed and the user was told so), but say why in the report.
        const lines = [...a.logs, ...b.logs]
          .join('')
          .split('\n')
          .filter((l) => l.includes(chat.flowId) || /"level":(40|50)/.test(l));
        process.stdout.write(
          `\n${chat.user.upn} not changed; Graph writes: ${JSON.stringify(h.processedWrites(chat.user))}\n${lines.slice(-12).join('\n')}\n`,
        );
      }
    }
    rows.splice(rows.length - outcomes.length, outcomes.length, {
      scenario: 'blob: 2 instances × 20 users',
      graph: `${outcomes.filter((o) => o.graph === 'requested').length}/20 requested`,
      told: `${outcomes.filter((o) => o.told === 'done').length}/20 done`,
      writes: outcomes.reduce((n, o) => n + o.writes, 0),
      maxPerStep: Math.max(...outcomes.map((o) => o.maxPerStep)),
      emails: outcomes.reduce((n, o) => n + o.emails, 0),
      sms: outcomes.reduce((n, o) => n + o.sms, 0),
      audit: `${outcomes.filter((o) => o.audit === 'done').length}/20 done`,
    });
    const conflictFailures =
      [...a.logs, ...b.logs]
        .join('')
        .match(
          /"msg":"turn failed"[^\n]*PROOFUP_STORAGE_CONFLICT|PROOFUP_STORAGE_CONFLICT[^\n]*"msg":"turn failed"/g,
        ) ?? [];
    const failedTurns = [...a.logs, ...b.logs].join('').match(/"msg":"turn failed"/g) ?? [];
    rows.push({
      scenario: `blob 2×20: failed turns: eTag ${conflictFailures.length}, any ${failedTurns.length}, HTTP non-200 ${statuses.filter((s) => s !== 200).length}`,
    });
    for (const o of outcomes) expectExactlyOnceAndTold(o);
    expect(failedTurns).toEqual([]);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it('an instance whose clock runs 2 minutes ahead never takes over a flow another instance is applying', async () => {
    const skewed = await h.spawnBot('blob-skewed', env('blob-skewed', { FAULT_CLOCK_OFFSET_MS: '120000' }));
    try {
      for (let n = 0; n < 3; n++) {
        const user = nextUser();
        const chat = await h.verified(a, user);
        await h.toConfirm(a, chat);
        // The write stays at Graph for 3 s: three sweeps of the skewed instance (every second) see the lease meanwhile.
        h.graph.hold = async (stage, req) => {
          if (stage === 'received' && req.method !== 'GET' && req.path.includes(user.oid))
            await new Promise((r) => setTimeout(r, 3_000));
        };
        await h.submit(a, chat, { action: 'sec.confirm' });
        const o = await outcome(`blob: a clock 2 min ahead (${n + 1}/3)`, chat, changed(user), audit());
        h.graph.hold = undefined;
        expectExactlyOnceAndTold(o);
        expect(o.writes, 'the Graph write was processed once').toBe(1);
      }
    } finally {
      h.graph.hold = undefined;
      await skewed.stop();
    }
  });

  it('10 identical confirms split over both instances: one write, one set of notifications', async () => {
    const user = nextUser();
    const chat = await h.verified(a, user);
    await h.toConfirm(a, chat, b);
    await Promise.all(Array.from({ length: 10 }, (_, i) => h.submit(i % 2 ? a : b, chat, { action: 'sec.confirm' })));
    const o = await outcome('blob: 10 confirms over 2 instances', chat, changed(user), audit());
    expectExactlyOnceAndTold(o);
    expect(o.writes).toBe(1);
  });

  it('an instance that stalls past its lease (not killed) is taken over; both alive, the change still happens once', async () => {
    const user = nextUser();
    const chat = await h.verified(a, user);
    await h.toConfirm(a, chat);
    let held = false;
    // A's "Applying…" card update hangs for 11 s (> the 8 s lease): B's sweep takes the flow over meanwhile.
    h.connector.hold = async (c) => {
      if (held || c.conversationId !== chat.conversation.id || !JSON.stringify(c.body).includes('Applying')) return;
      held = true;
      await new Promise((r) => setTimeout(r, 11_000));
    };
    await h.submit(a, chat, { action: 'sec.confirm' }).catch(() => 0);
    h.connector.hold = undefined;
    await new Promise((r) => setTimeout(r, 1000)); // A wakes up after B finished: it must not act on the flow again
    const o = await outcome('blob: instance stalls past its lease, other takes over', chat, changed(user), audit());
    expectExactlyOnceAndTold(o);
    expect(o.writes).toBe(1);
  });

  it('an instance killed while its Graph write is in flight: the other instance finishes the change after the lease', async () => {
    const user = nextUser();
    const chat = await h.verified(a, user);
    await h.toConfirm(a, chat);
    const g = gate();
    h.graph.hold = (s, r) => g.hold(s === 'received' && r.method === 'PATCH' && r.path.includes(user.oid), true);
    const confirm = h.submit(a, chat, { action: 'sec.confirm' }).catch(() => 0);
    await g.hit;
    await a.kill9();
    g.release(true);
    await confirm;
    h.graph.hold = undefined;
    const o = await outcome('blob: instance killed mid-write, other takes over', chat, changed(user), audit());
    expectExactlyOnceAndTold(o);
  });
});
