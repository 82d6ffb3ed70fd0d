// The cost of one whole change, measured on a real bot process with the simulators (Entra ID, Graph, ACS, Bot
// Connector) in THIS process: "change my MFA phone" → sign-in → verifyState → menu → new mobile → code → confirm →
// result. Prints Graph requests per change (by kind) and the bot process's CPU per change (utime+stime from /proc).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FaultHarness, makeUsers } from '../test/faults/harness.js';

const TICK_MS = 10; // USER_HZ is 100 on Linux

function cpuMs(pid: number): number {
  const [user, system] = cpuSplit(pid);
  return user + system;
}

/** [user, system] CPU of a process so far, in ms (fields 14 and 15 of /proc/<pid>/stat). */
function cpuSplit(pid: number): [number, number] {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return [Number(fields[11]) * TICK_MS, Number(fields[12]) * TICK_MS];
}

/** BENCH_CPU_PROFILE=<dir>: the bot process writes a V8 CPU profile there when it stops. */
function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROFILE;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** What a change costs the bot, for the ratio to the framework floor (floorRatio). */
export interface ChangeCost {
  text: string;
  cpuPerChange: number;
  inbound: number;
  outbound: number;
}

/**
 * The change's CPU against the framework floor measured in the same run: the floor's message is one inbound activity
 * and one Bot Connector call, so a change of 7 inbound activities and 10 calls is worth (7 + 10) / 2 floor messages.
 */
export function floorRatio(change: ChangeCost, floorPerMessage: number): string {
  const messages = (change.inbound + change.outbound) / 2;
  const floor = messages * floorPerMessage;
  return (
    `bot CPU per change against the framework floor: ${(change.cpuPerChange / floor).toFixed(2)}x (target <= 1.5; ` +
    `${change.cpuPerChange.toFixed(1)} ms vs ${messages.toFixed(1)} floor messages x ${floorPerMessage.toFixed(1)} ms = ${floor.toFixed(1)} ms)\n`
  );
}

export async function benchChange(changes: number, concurrency: number): Promise<ChangeCost> {
  const users = makeUsers(changes + 1, 'be');
  const h = new FaultHarness([...users]);
  await h.start();
  try {
    const bot = await h.spawnBot('bench', h.env(path.join(h.dir, 'bench'), { LOG_LEVEL: 'warn' }), profileArgs());
    // Warm-up: one change first (module loading, TLS sessions, token caches), not counted.
    const warm = users.shift();
    if (warm) await oneChange(h, bot, warm);
    h.graph.requests.length = 0;
    const connectorBefore = h.connector.calls.length;
    const cpu0 = cpuMs(bot.pid);
    const split0 = cpuSplit(bot.pid);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < users.length) await oneChange(h, bot, users[next++] as (typeof users)[number]);
      }),
    );
    const wall = performance.now() - t0;
    const cpu = cpuMs(bot.pid) - cpu0;
    const split = cpuSplit(bot.pid).map((v, i) => v - (split0[i] as number));
    const outbound = h.connector.calls.length - connectorBefore;
    const n = users.length;
    const byKind = new Map<string, number>();
    const http = h.graph.requests.filter((r) => !r.inBatch); // requests on the wire (a $batch is one)
    for (const r of http) {
      const kind = `${r.method} ${r.path.replace(/users\/[^/]+/, 'users/{id}').replace(/phoneMethods\/[^/]+/, 'phoneMethods/{id}')}`;
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    await bot.stop();
    const kinds = [...byKind].map(([k, v]) => `    ${(v / n).toFixed(2)}  ${k}`).join('\n');
    const text =
      `whole mobile change (sign-in to result), ${n} changes, ${concurrency} at a time, bot in its own process:\n` +
      `  Graph requests per change: ${(http.length / n).toFixed(2)} (target <= 3)\n${kinds}\n` +
      `  bot CPU per change: ${(cpu / n).toFixed(1)} ms (target <= 30; /proc utime+stime, 10 ms ticks, ${cpu} ms total: ` +
      `user ${((split[0] as number) / n).toFixed(1)} ms, system ${((split[1] as number) / n).toFixed(1)} ms per change)\n` +
      `  wall time per change: ${(wall / n).toFixed(0)} ms; per change the bot took 7 inbound activities and made ` +
      `${(outbound / n).toFixed(1)} Bot Connector calls (cards sent or updated, member lookup)\n`;
    return { text, cpuPerChange: cpu / n, inbound: 7, outbound: outbound / n };
  } finally {
    await h.close();
  }
}

type Phase =
  | 'intent'
  | 'sign-in (link, Entra, callback, verifyState, menu)'
  | 'new number + code SMS'
  | 'code'
  | 'confirm → result';

/** One change; with `phases`, the bot's CPU is added up per phase (sequential runs only: /proc is per process). */
async function oneChange(
  h: FaultHarness,
  bot: Awaited<ReturnType<FaultHarness['spawnBot']>>,
  user: ReturnType<typeof makeUsers>[number],
  phases?: Map<Phase, number>,
) {
  let mark = phases ? cpuMs(bot.pid) : 0;
  const done = (phase: Phase) => {
    if (!phases) return;
    const now = cpuMs(bot.pid);
    phases.set(phase, (phases.get(phase) ?? 0) + now - mark);
    mark = now;
  };
  const client = h.client(bot);
  const conversation = { id: `a:${user.oid}`, conversationType: 'personal', isGroup: false, name: '' };
  await client.send(
    client.activity({
      text: 'change my MFA phone',
      conversation: conversation as never,
      from: { id: `29:${user.oid}`, name: user.name, aadObjectId: user.oid },
    }),
  );
  await h.connector.waitFor((c) => c.conversationId === conversation.id);
  done('intent');
  const chat = await h.verified(bot, user);
  done('sign-in (link, Entra, callback, verifyState, menu)');
  await h.submit(bot, chat, { action: 'sec.editPhone', phoneType: 'mobile' });
  await h.submit(bot, chat, { action: 'sec.submitNumber', country: 'US', number: user.newMobile.slice(3) });
  const code = await h.waitFor(() => {
    const sms = h.acs.messages.filter((m) => m.kind === 'sms' && m.to === user.newMobile.replace(' ', '')).at(-1);
    return /^(\d{6}) /.exec(sms?.text ?? '')?.[1];
  });
  await h.connector.waitFor(
    (c) => c.conversationId === conversation.id && JSON.stringify(c.body).includes('Prove the new number'),
  );
  done('new number + code SMS');
  await h.submit(bot, chat, { action: 'sec.submitCode', code });
  await h.connector.waitFor(
    (c) => c.conversationId === conversation.id && JSON.stringify(c.body).includes('Confirm the change'),
  );
  done('code');
  await h.submit(bot, chat, { action: 'sec.confirm' });
  await h.waitFor(() => h.toldResult(chat));
  await new Promise((r) => setTimeout(r, phases ? 50 : 0));
  done('confirm → result');
}

/** The framework floor: CPU per message of a bare botbuilder echo bot (same auth, connector, process layout). */
export async function benchFloor(messages: number): Promise<{ text: string; perMessage: number }> {
  const h = new FaultHarness(makeUsers(1, 'fl'));
  await h.start();
  try {
    const bot = await h.spawnBot('echo', h.env(path.join(h.dir, 'echo')), [], 'scripts/echo-bot.ts');
    const client = h.client(bot);
    const conversation = { id: 'a:echo', conversationType: 'personal', isGroup: false, name: '' } as never;
    const send = () =>
      client.send(client.activity({ text: 'hello', conversation, from: { id: '29:echo', name: 'E' } }));
    for (let i = 0; i < 20; i++) await send(); // warm-up
    const before = h.connector.calls.length;
    const cpu0 = cpuMs(bot.pid);
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next++ < messages) await send();
      }),
    );
    await h.waitFor(() => h.connector.calls.length - before >= messages || undefined);
    const perMessage = (cpuMs(bot.pid) - cpu0) / messages;
    await bot.stop();
    const text =
      `framework floor (bare botbuilder echo bot, same auth and connector): ${perMessage.toFixed(1)} ms CPU per message ` +
      `(1 inbound activity + 1 Bot Connector call; ${messages} messages)\n`;
    return { text, perMessage };
  } finally {
    await h.close();
  }
}

/** The same change, one at a time, with the bot's CPU per phase. */
export async function benchPhases(changes: number): Promise<string> {
  const users = makeUsers(changes + 1, 'ph');
  const h = new FaultHarness([...users]);
  await h.start();
  try {
    const bot = await h.spawnBot('phases', h.env(path.join(h.dir, 'phases'), { LOG_LEVEL: 'warn' }));
    const warm = users.shift();
    if (warm) await oneChange(h, bot, warm);
    const phases = new Map<Phase, number>();
    for (const user of users) await oneChange(h, bot, user, phases);
    await bot.stop();
    const lines = [...phases].map(([p, ms]) => `    ${(ms / users.length).toFixed(1).padStart(6)} ms  ${p}`);
    return `bot CPU per phase of a change (${users.length} changes one at a time):\n${lines.join('\n')}\n`;
  } finally {
    await h.close();
  }
}
