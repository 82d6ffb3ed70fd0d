// The flow records: one per chat (channel + user + conversation), written only with compare-and-set. No record is
// shared by all users; active flows are found by listing the "flow/" prefix.
import { createHash } from 'node:crypto';
import type { ChatRef, Effect, Flow, QueuedEffect } from '../flow/flow.js';
import { RecordStore, type Versioned } from '../storage/records.js';
import type { ProofupStorage } from '../storage/store.js';
import { conflictError } from '../storage/store.js';

export const FLOW_PREFIX = 'flow/';

/** Same digest as the step-up's chat binding: channel, user and conversation, never readable in storage keys. */
export function chatKey(chat: ChatRef): string {
  return createHash('sha256').update(`${chat.channelId}\n${chat.userId}\n${chat.conversationId}`).digest('base64url');
}

export class FlowStore {
  private readonly records: RecordStore<Flow>;

  constructor(private readonly storage: ProofupStorage) {
    this.records = new RecordStore(storage, 'flow');
  }

  async get(key: string): Promise<Versioned<Flow> | undefined> {
    const found = await this.records.get(key);
    return found && { ...found, value: upgraded(found.value) };
  }

  /**
   * Compare-and-set: `eTag` undefined means "only if there is no record yet". Throws a typed conflict otherwise.
   * Resolves the new eTag (undefined after a create: the next reader learns it).
   */
  async put(key: string, flow: Flow, eTag: string | undefined): Promise<string | undefined> {
    const item = flow as unknown as Record<string, unknown>;
    if (eTag) return this.storage.writeOne(`flow/${key}`, item, eTag);
    if (!(await this.storage.create(`flow/${key}`, item))) throw conflictError(`flow/${key}`);
    return undefined;
  }

  delete(key: string): Promise<void> {
    return this.records.delete(key);
  }

  async keys(): Promise<string[]> {
    return (await this.storage.keys(FLOW_PREFIX)).map((k) => k.slice(FLOW_PREFIX.length));
  }
}

/**
 * A record written by an older version, in the current shape (a flow can be mid-change across a rolling deploy).
 * Before the number was one value, a flow kept its E.164 and extension beside the request's Graph-format number.
 */
export function upgraded(flow: Flow): Flow {
  const old = flow as Flow & { e164?: string; extension?: string };
  if (old.e164 === undefined) return flow;
  const { e164, extension, ...rest } = old;
  const graph = flow.request?.kind === 'setPhone' ? flow.request.number : undefined;
  return graph && !flow.number ? { ...rest, number: { graph, e164, ...(extension ? { extension } : {}) } } : rest;
}

/** Appends effects to the flow's outbox with stable ids (flow id + sequence): the dedupe key of each delivery. */
export function enqueue(flow: Flow, effects: Effect[]): Flow {
  let seq = flow.seq;
  // A notice tried again later waits for its time like any effect waiting for a retry.
  const queued = effects.map((effect) => ({
    id: `${flow.id}.${++seq}`,
    effect,
    ...('notBefore' in effect && effect.notBefore ? { retryAt: effect.notBefore } : {}),
  }));
  return { ...flow, outbox: [...flow.outbox, ...queued], seq };
}

/**
 * The outbox is two queues in one list, each in order: what the chat shows (cards posted, replaced, retired) and
 * everything else (Graph, codes, notices, audit). A card the Bot Connector refuses waits for its retry without holding
 * up the change itself or its notices, and a notice that fails does not hold up the cards.
 */
const lane = (q: QueuedEffect) => (q.effect.kind === 'show' || q.effect.kind === 'retire' ? 'chat' : 'work');

/** The next effect to deliver now: the first of its lane, not waiting for a retry. */
export function nextDue(flow: Flow, now: number): QueuedEffect | undefined {
  const blocked = new Set<string>();
  for (const [i, queued] of flow.outbox.entries()) {
    // The end (forget) comes after everything of both lanes: it drops the address a waiting card still needs.
    if (queued.effect.kind === 'forget' && i > 0) return undefined;
    if (blocked.has(lane(queued))) continue;
    if (queued.retryAt && queued.retryAt > now) {
      blocked.add(lane(queued));
      continue;
    }
    return queued;
  }
  return undefined;
}

/** Whether every effect left waits for its retry time (the sweep tries again then). */
export function waitingForRetry(flow: Flow, now: number): boolean {
  return flow.outbox.length > 0 && !nextDue(flow, now);
}
