// Drives the pure flow core against the world and keeps DESIGN's promise "exactly once, always told":
// - every transition is ONE compare-and-set write of the chat's flow record, carrying the effects it causes (outbox);
//   the loser of a race re-runs the core on the winner's state and gets that state's answer;
// - the outbox is delivered in order by whoever holds the record's lease (one deliverer across instances), each
//   effect retired in the same write that records its outcome; after a crash the next turn, the start-up resume or
//   the sweep delivers the rest — at least once, with ids that make repeats harmless.
import { randomUUID } from 'node:crypto';
import { parseSubmitted, sharedCheckTarget } from '../flow/change-steps.js';
import { forgotten } from '../flow/finish-steps.js';
import type { ChatRef, Effect, FactName, Facts, Flow, FlowInput, QueuedEffect } from '../flow/flow.js';
import { notice } from '../flow/present.js';
import { factsNeeded, step } from '../flow/step.js';
import type { AuthMethodsClient } from '../graph/auth-methods-client.js';
import type { PlanProgress } from '../graph/plan-executor.js';
import { DEFAULT_LANG, t } from '../i18n/i18n.js';
import type { StepUpService } from '../identity/step-up-service.js';
import type { PersonLimits } from '../limits/person-limits.js';
import type { Logger } from '../logging.js';
import type { NumberRegistry } from '../numbers/number-registry.js';
import type { SmsCountries } from '../numbers/sms-countries.js';
import type { Versioned } from '../storage/records.js';
import { isConflict } from '../storage/store.js';
import type { EffectExecutor } from './effect-executor.js';
import type { FlowPresenter } from './flow-presenter.js';
import { chatKey, enqueue, type FlowStore, nextDue } from './flow-store.js';
import { LeaseWatch } from './lease-watch.js';

/** The number checks a submitted mobile/alternate number goes through (index of holders, countries, policy). */
export interface NumberChecks {
  registry: NumberRegistry;
  countries: SmsCountries;
  sharedPolicy: 'refuse' | 'warn' | 'allow';
}

export interface FlowRunnerDeps {
  numbers: NumberChecks;
  store: FlowStore;
  effects: EffectExecutor;
  graph: AuthMethodsClient;
  stepUp: StepUpService;
  presenterFor: (channelId: string) => FlowPresenter;
  logger: Logger;
  now?: () => number;
  /** How long a deliverer may hold a flow before another instance takes over (longer than one Graph call). */
  leaseMs?: number;
  /** This process's monotonic clock (ms): how long a lease has been seen unchanged, never another machine's clock. */
  monotonic?: () => number;
  /** How long a failing effect (a card the Bot Connector refuses, …) is retried before it is dropped (24 h). */
  retryLimitMs?: number;
  /** Per-person limits: a new change past FLOWS_PER_DAY is refused before anything is read from Graph. */
  limits?: Pick<PersonLimits, 'allow'>;
}

const MAX_RACES = 8;
/** Delivery ids a flow remembers (redeliveries come within minutes; a flow lives for a few transitions). */
const SEEN_KEPT = 20;
/** Backoff between tries of a failing effect: 5 s, 10 s, 20 s, … at most 5 minutes. */
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;
export const DEFAULT_RETRY_LIMIT_MS = 24 * 3_600_000;

class LeaseLost extends Error {}

export class FlowRunner {
  readonly instance = randomUUID();
  private readonly now: () => number;
  private readonly leaseMs: number;

  constructor(private readonly deps: FlowRunnerDeps) {
    this.now = deps.now ?? Date.now;
    this.leaseMs = deps.leaseMs ?? 90_000;
    this.leases = new LeaseWatch(this.leaseMs, deps.monotonic ?? (() => performance.now()));
  }

  private readonly leases: LeaseWatch;

  /** Whether the lease on this record has lapsed, by this process's own elapsed time (lease-watch.ts). */
  leaseLapsed(key: string, found: Versioned<Flow>): boolean {
    return this.leases.lapsed(key, found);
  }

  /**
   * The version of each flow this runner last wrote or read while delivering its outbox: saves a read before each of
   * its own compare-and-set writes. Never trusted for a decision — a stale entry just makes the write conflict, which
   * drops the entry and reads again. Dropped when the delivery ends.
   */
  private readonly known = new Map<string, Versioned<Flow>>();

  private async latest(key: string): Promise<Versioned<Flow> | undefined> {
    return this.known.get(key) ?? this.read(key);
  }

  private async read(key: string): Promise<Versioned<Flow> | undefined> {
    const found = await this.deps.store.get(key);
    if (found) this.known.set(key, found);
    else this.known.delete(key);
    return found;
  }

  /** Compare-and-set write that keeps `known` in step (a conflict forgets it). */
  private async write(key: string, flow: Flow, eTag: string | undefined): Promise<void> {
    try {
      const next = await this.deps.store.put(key, flow, eTag);
      if (next) this.known.set(key, { value: flow, eTag: next });
      else this.known.delete(key);
    } catch (err) {
      this.known.delete(key);
      throw err;
    }
  }

  /** The chat's flow as stored now (read only: routing decisions; every change goes through handle()). */
  async peek(chat: ChatRef): Promise<Flow | undefined> {
    return (await this.deps.store.get(chatKey(chat)))?.value;
  }

  /**
   * One input from a channel or a timer: transition (compare-and-set, with its effects), then deliver. `deliveryId`
   * (the channel's activity id) is stored with the transition; the same delivery again changes nothing.
   */
  async handle(chat: ChatRef, address: unknown, input: FlowInput, deliveryId?: string): Promise<void> {
    if (input.type === 'verified' && !(await this.startAllowed(chat, address, input))) return;
    const key = chatKey(chat);
    const facts: Facts = {};
    const fetched = new Set<FactName>();
    // Whoever stores effects takes the lease in the same write when nobody holds it (one write less than acquiring).
    const owner = this.newOwner();
    let leased = false;
    for (let race = 0; race < MAX_RACES; race++) {
      const found = await this.deps.store.get(key);
      const flow = found?.value;
      const now = this.now();
      if (deliveryId && flow?.seen?.includes(deliveryId)) {
        this.deps.logger.info({ deliveryId }, 'delivery already processed by this flow; redelivery ignored');
        return;
      }
      for (const need of factsNeeded(flow, input, now)) {
        if (fetched.has(need)) continue;
        await this.fetch(need, input.type === 'verified' ? input.user.oid : flow?.user.oid, chat, facts, flow, input);
        fetched.add(need);
      }
      const t = step(flow, input, facts, now);
      if (!t.changed) {
        await this.deliverNow(flow?.chat.channelId ?? chat.channelId, flow?.address ?? address, t.effects);
        break;
      }
      const next = enqueue(t.flow as Flow, t.effects);
      if (deliveryId) next.seen = [...(next.seen ?? []), deliveryId].slice(-SEEN_KEPT);
      // Free only when nobody holds it; a lease that may have lapsed is the sweep's to take over (leaseLapsed).
      const free = !next.lease;
      if (free && next.outbox.length) next.lease = { owner, until: now + this.leaseMs };
      try {
        await this.write(key, next, found?.eTag);
        leased = free && next.outbox.length > 0;
        break;
      } catch (err) {
        if (!isConflict(err)) throw err;
        this.deps.logger.debug({ race }, 'flow changed meanwhile; re-running the step on the newer state');
      }
    }
    await this.drain(key, false, leased ? owner : undefined);
  }

  /** A new change counts against the person's daily allowance; past it they are told, and nothing else happens. */
  private async startAllowed(
    chat: ChatRef,
    address: unknown,
    input: Extract<FlowInput, { type: 'verified' }>,
  ): Promise<boolean> {
    const limits = this.deps.limits;
    if (!limits || (await limits.allow('flows-per-day', { oid: input.user.oid, channel: chat.channelId }))) return true;
    await this.deliverNow(chat.channelId, address, [notice(t(input.lang ?? DEFAULT_LANG, 'limit.flowsPerDay'))]);
    return false;
  }

  /**
   * Delivers the outbox of flow `key` if nobody else is (or, with `force`, whatever the lease says). `held`: the
   * lease this caller already took in its transition write.
   */
  async drain(key: string, force = false, held?: string): Promise<void> {
    const owner = held ?? this.newOwner();
    if (!held && !(await this.acquire(key, owner, force))) return;
    try {
      for (;;) {
        const found = await this.latest(key);
        if (!found || found.value.lease?.owner !== owner) return;
        const queued = nextDue(found.value, this.now());
        // Nothing to do now (empty, or what is left waits for its retry): let the lease go.
        if (!queued) {
          if (await this.release(key, found, owner)) return;
          continue;
        }
        let outcome: FlowInput | undefined;
        try {
          outcome = await this.deps.effects.execute(
            queued,
            found.value,
            (p) => this.saveProgress(key, owner, p),
            (input) => this.applyNow(key, owner, input),
          );
        } catch (err) {
          if (err instanceof LeaseLost) return;
          // Recorded with its retry time; the other lane may go on now (a refused card does not hold up the change).
          if (!(await this.failed(key, owner, queued, err))) return;
          continue;
        }
        await this.retire(key, owner, queued, outcome);
      }
    } catch (err) {
      this.deps.logger.error({ err, code: 'PROOFUP_OUTBOX_FAILED' }, 'flow outbox delivery stopped');
    } finally {
      this.known.delete(key);
    }
  }

  private newOwner(): string {
    return `${this.instance}:${randomUUID()}`;
  }

  /** Every flow whose outbox is waiting and whose deliverer is gone (start-up and sweep). */
  async resumeAll(force: boolean): Promise<number> {
    let resumed = 0;
    for (const key of await this.deps.store.keys()) {
      const found = await this.deps.store.get(key);
      const flow = found?.value;
      if (!found || !flow?.outbox.length) continue;
      if (!force && flow.lease && !this.leaseLapsed(key, found)) continue;
      this.deps.logger.warn(
        { flowId: flow.id, pending: flow.outbox.map((q) => q.effect.kind) },
        'delivering what a flow still owed (interrupted earlier)',
      );
      await this.drain(key, true);
      resumed++;
    }
    return resumed;
  }

  /** Reads what the step needs for the verified user `oid` (from the grant, never from the chat). */
  private async fetch(
    need: FactName,
    oid: string | undefined,
    chat: ChatRef,
    facts: Facts,
    flow: Flow | undefined,
    input: FlowInput,
  ): Promise<void> {
    if (!oid) return;
    switch (need) {
      case 'grant': {
        const grant = await this.deps.stepUp.grant(chat);
        facts.grant = Boolean(grant && grant.oid === oid);
        return;
      }
      case 'info':
        facts.info = await this.deps.graph.securityInfo(oid);
        await this.deps.numbers.registry.learn(oid, facts.info); // every read teaches the shared-number index
        return;
      case 'numberChecks': {
        const { registry, countries, sharedPolicy } = this.deps.numbers;
        facts.smsCountries = await countries.allowedFor(flow?.info);
        if (!flow || input.type !== 'submitNumber') return;
        facts.submitted = parseSubmitted(flow, input, facts.smsCountries);
        if (sharedPolicy === 'allow') return;
        // Only after every rule that refuses without Graph (office numbers are exempt: a desk line may be shared).
        const e164 = sharedCheckTarget(flow, input, facts);
        if (e164 && (await registry.heldByAnother(oid, e164))) facts.sharedNumber = sharedPolicy;
        return;
      }
      case 'businessPhones':
        facts.businessPhones = await this.deps.graph.businessPhones(oid);
        return;
    }
  }

  private async deliverNow(channelId: string, address: unknown, effects: Effect[]): Promise<void> {
    const presenter = this.deps.presenterFor(channelId);
    for (const effect of effects) {
      if (effect.kind === 'show') await presenter.show(address, effect.view, effect.replace);
      else if (effect.kind === 'retire') await presenter.retire(address, effect.messageId);
    }
  }

  private async acquire(key: string, owner: string, force: boolean): Promise<boolean> {
    for (let race = 0; race < MAX_RACES; race++) {
      const found = race === 0 ? await this.latest(key) : await this.read(key);
      if (!found?.value.outbox.length) return false;
      if (!force && found.value.lease && !this.leaseLapsed(key, found)) return false;
      try {
        await this.write(key, { ...found.value, lease: { owner, until: this.now() + this.leaseMs } }, found.eTag);
        return true;
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
    return false;
  }

  private async release(key: string, found: Versioned<Flow>, owner: string): Promise<boolean> {
    if (found.value.lease?.owner !== owner) return true;
    try {
      await this.write(key, { ...found.value, lease: undefined }, found.eTag);
      return true;
    } catch (err) {
      if (!isConflict(err)) throw err;
      return false; // a turn queued more meanwhile: deliver it too
    }
  }

  /** Retires the delivered effect and stores what it led to, in one compare-and-set. */
  private async retire(key: string, owner: string, queued: QueuedEffect, outcome: FlowInput | undefined) {
    for (;;) {
      const found = await this.latest(key);
      if (!found?.value.outbox.some((q) => q.id === queued.id) || found.value.lease?.owner !== owner) return;
      const base: Flow = {
        ...found.value,
        outbox: found.value.outbox.filter((q) => q.id !== queued.id),
        lease: { owner, until: this.now() + this.leaseMs },
      };
      let next = base;
      let immediate: Effect[] = [];
      if (outcome) {
        const t = step(base, outcome, {}, this.now());
        if (t.changed && t.flow) next = enqueue(t.flow, t.effects);
        else immediate = t.effects;
      }
      if (queued.effect.kind === 'forget') next = { ...forgotten(next), lease: next.lease };
      // Nothing left: let the lease go in this same write (a turn that queued more meanwhile makes it conflict).
      if (next.outbox.length === 0) next = { ...next, lease: undefined };
      try {
        await this.write(key, next, found.eTag);
        if (immediate.length) await this.deliverNow(next.chat.channelId, next.address, immediate);
        return;
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
  }

  /** An input applied to the flow while its effect is still being delivered (stored before the side effect). */
  private applyNow(key: string, owner: string, input: FlowInput): Promise<void> {
    return this.updateUnderLease(key, owner, (flow) => {
      const t = step(flow, input, {}, this.now());
      return t.changed && t.flow ? enqueue(t.flow, t.effects) : undefined;
    });
  }

  /** Plan progress, saved on the flow record before and after every Graph call (and the lease renewed). */
  private saveProgress(key: string, owner: string, progress: PlanProgress): Promise<void> {
    return this.updateUnderLease(key, owner, (flow) => ({ ...flow, progress }));
  }

  /**
   * Read-change-write of the flow by the holder of its lease, renewing the lease; retried on a conflict, and
   * LeaseLost when another deliverer took the flow over. `change` returning undefined writes nothing.
   */
  private async updateUnderLease(key: string, owner: string, change: (flow: Flow) => Flow | undefined): Promise<void> {
    for (;;) {
      const found = await this.latest(key);
      if (!found || found.value.lease?.owner !== owner) throw new LeaseLost('another deliverer took this flow over');
      const changed = change(found.value);
      if (!changed) return;
      try {
        await this.write(key, { ...changed, lease: { owner, until: this.now() + this.leaseMs } }, found.eTag);
        return;
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
  }

  /**
   * An effect failed: count it and set its retry time (backoff); drop it once the retry limit has passed. Resolves
   * whether this deliverer still holds the flow (then it goes on with what else is due).
   */
  private async failed(key: string, owner: string, queued: QueuedEffect, err: unknown): Promise<boolean> {
    const found = await this.latest(key);
    if (!found || found.value.lease?.owner !== owner) return false;
    const now = this.now();
    const failures = (queued.failures ?? 0) + 1;
    const firstFailedAt = queued.firstFailedAt ?? now;
    // The Graph plan is never dropped (it is settled by reading back); anything else after the retry limit.
    const giveUp =
      queued.effect.kind !== 'apply' && now - firstFailedAt >= (this.deps.retryLimitMs ?? DEFAULT_RETRY_LIMIT_MS);
    const retryAt = now + Math.min(RETRY_BASE_MS * 2 ** (failures - 1), RETRY_MAX_MS);
    this.deps.logger.error(
      { err, code: 'PROOFUP_EFFECT_FAILED', effect: queued.effect.kind, flowId: found.value.id, failures, giveUp },
      giveUp ? 'flow effect dropped: it kept failing past the retry limit' : 'flow effect failed; it will be retried',
    );
    const outbox = giveUp
      ? found.value.outbox.filter((q) => q.id !== queued.id)
      : found.value.outbox.map((q) => (q.id === queued.id ? { ...q, failures, firstFailedAt, retryAt } : q));
    try {
      // The lease stays with this deliverer (renewed): it goes on with what else is due, then lets it go.
      await this.write(key, { ...found.value, outbox, lease: { owner, until: now + this.leaseMs } }, found.eTag);
      return true;
    } catch (e) {
      this.deps.logger.warn({ err: e }, 'could not record the failed effect');
      return false;
    }
  }
}
