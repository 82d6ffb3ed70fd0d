// Runs a plan against Graph step by step. Progress is written to storage BEFORE and AFTER each step, so after a crash
// the step that was in flight is settled by reading Graph (did it happen or not?) and the plan is finished — never
// applied twice. A failing step rolls back what was applied, in reverse.
import type { Storage } from 'botbuilder';
import type { Logger } from '../logging.js';
import { RecordStore, updateWithRetry } from '../storage/records.js';
import type { Operation, SecurityInfo } from './auth-methods.js';
import { applyOperation } from './auth-methods.js';
import type { AuthMethodsClient } from './auth-methods-client.js';
import { GraphError } from './graph-error.js';
import { type PlanStep, rollbackOf } from './planner.js';

export type PlanStatus = 'running' | 'rolling-back' | 'done' | 'rolled-back' | 'rollback-failed';

export interface PlanRecord {
  id: string;
  oid: string;
  steps: PlanStep[];
  /** Security info when the plan started: the reference for settling an in-flight step after a crash. */
  before: SecurityInfo;
  applied: number;
  inFlight?: number;
  status: PlanStatus;
  requestIds: string[];
  error?: { code: string; status: number; graphCode?: string };
  startedAt: number;
  finishedAt?: number;
}

export interface ExecutionHooks {
  /** Test seam: called after a step is applied and recorded (a "crash" can be simulated by throwing here). */
  afterStep?: (index: number) => Promise<void>;
}

function sameState(a: SecurityInfo, b: SecurityInfo): boolean {
  const phones = (s: SecurityInfo) =>
    JSON.stringify(
      Object.entries(s.phones)
        .filter(([, v]) => v)
        .sort(),
    );
  return phones(a) === phones(b) && (a.defaultMethod ?? null) === (b.defaultMethod ?? null);
}

export class PlanExecutor {
  private readonly plans: RecordStore<PlanRecord>;
  private readonly index: RecordStore<{ ids: string[] }>;

  constructor(
    storage: Storage,
    private readonly graph: AuthMethodsClient,
    private readonly logger: Logger,
    private readonly hooks: ExecutionHooks = {},
  ) {
    this.plans = new RecordStore(storage, 'plan');
    this.index = new RecordStore(storage, 'plans');
  }

  async execute(id: string, oid: string, steps: PlanStep[], before: SecurityInfo): Promise<PlanRecord> {
    const record: PlanRecord = {
      id,
      oid,
      steps,
      before,
      applied: 0,
      status: 'running',
      requestIds: [],
      startedAt: Date.now(),
    };
    await this.plans.put(id, record);
    await this.track(id, true);
    return this.run(record);
  }

  /** After a restart: finish every plan that was running or rolling back. */
  async resumeAll(): Promise<PlanRecord[]> {
    const ids = (await this.index.get('active'))?.value.ids ?? [];
    const resumed: PlanRecord[] = [];
    for (const id of ids) {
      const found = await this.plans.get(id);
      if (!found) continue;
      this.logger.warn(
        { planId: id, status: found.value.status, inFlight: found.value.inFlight },
        'resuming a plan interrupted by a restart',
      );
      resumed.push(await this.run(await this.settleInFlight(found.value)));
    }
    return resumed;
  }

  async get(id: string): Promise<PlanRecord | undefined> {
    return (await this.plans.get(id))?.value;
  }

  private async run(record: PlanRecord): Promise<PlanRecord> {
    if (record.status === 'running') {
      while (record.applied < record.steps.length) {
        const step = record.steps[record.applied] as PlanStep;
        try {
          await this.save({ ...record, inFlight: record.applied }, record);
          const result = await this.graph.apply(record.oid, step.operation);
          record = await this.save({
            ...record,
            applied: record.applied + 1,
            inFlight: undefined,
            requestIds: [...record.requestIds, result.requestId ?? ''],
          });
        } catch (err) {
          const e = err instanceof GraphError ? err : undefined;
          this.logger.warn(
            { planId: record.id, step: record.applied, code: e?.code, requestId: e?.requestId },
            'plan step failed; rolling back',
          );
          record = await this.save({
            ...record,
            inFlight: undefined,
            status: 'rolling-back',
            error: { code: e?.code ?? 'PROOFUP_TURN_FAILED', status: e?.status ?? 0, graphCode: e?.graphCode },
          });
          break;
        }
        await this.hooks.afterStep?.(record.applied - 1);
      }
      if (record.status === 'running') return this.finish(record, 'done');
    }
    return this.rollback(record);
  }

  private async rollback(record: PlanRecord): Promise<PlanRecord> {
    // Undo in reverse; `applied` counts down as each undo lands, so a crash here resumes the rollback too.
    for (const undo of rollbackOf(record.steps, record.applied)) {
      try {
        await this.save({ ...record, inFlight: record.applied - 1 }, record);
        const result = await this.graph.apply(record.oid, undo);
        record = await this.save({
          ...record,
          applied: record.applied - 1,
          inFlight: undefined,
          requestIds: [...record.requestIds, result.requestId ?? ''],
        });
      } catch (err) {
        this.logger.error(
          { err, planId: record.id, applied: record.applied },
          'rollback failed: security info is part-changed',
        );
        return this.finish(record, 'rollback-failed');
      }
    }
    return this.finish(record, 'rolled-back');
  }

  /** A step was in flight when we stopped: read Graph to see whether it landed, so it is never sent twice. */
  private async settleInFlight(record: PlanRecord): Promise<PlanRecord> {
    if (record.inFlight === undefined) return record;
    const forward = record.status === 'running';
    const stateBefore = (forward ? record.steps.slice(0, record.inFlight) : record.steps.slice(0, record.inFlight + 1))
      .map((s) => s.operation)
      .reduce((s, op) => applyOperation(s, op), record.before);
    const op: Operation = forward
      ? (record.steps[record.inFlight] as PlanStep).operation
      : (record.steps[record.inFlight] as PlanStep).undo;
    const expectedAfter = applyOperation(stateBefore, op);
    const actual = await this.graph.securityInfo(record.oid);
    const landed = sameState(actual, expectedAfter) && !sameState(actual, stateBefore);
    const applied = landed ? (forward ? record.inFlight + 1 : record.inFlight) : record.applied;
    this.logger.warn({ planId: record.id, step: record.inFlight, landed }, 'settled the step that was in flight');
    return this.save({ ...record, applied, inFlight: undefined });
  }

  private async finish(record: PlanRecord, status: PlanStatus): Promise<PlanRecord> {
    const done = await this.save({ ...record, status, finishedAt: Date.now() });
    await this.track(record.id, false);
    return done;
  }

  private async save(next: PlanRecord, _previous?: PlanRecord): Promise<PlanRecord> {
    await this.plans.put(next.id, next);
    return next;
  }

  private async track(id: string, active: boolean): Promise<void> {
    await updateWithRetry(this.index, 'active', (current) => {
      const ids = new Set(current?.ids ?? []);
      if (active) ids.add(id);
      else ids.delete(id);
      return { ids: [...ids] };
    });
  }
}
