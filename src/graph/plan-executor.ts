// Runs a plan against Graph step by step and keeps this promise: every step reaches Graph at most once per decision,
// and nothing is ever assumed. Progress is saved (by the caller, with the flow's own compare-and-set) BEFORE each call
// and AFTER each answer. A write whose answer is lost (timeout, reset, 5xx) is settled at once by reading Graph back:
// landed → counted as applied; not landed → retried (bounded) or rolled back. After a crash, a step left in flight is
// settled the same way before anything else is sent. A failing step rolls back what was applied, in reverse.
import type { Logger } from '../logging.js';
import { applyOperation, type Operation, type SecurityInfo } from './auth-methods.js';
import type { AuthMethodsClient } from './auth-methods-client.js';
import { GraphError } from './graph-error.js';
import { isFinished, type PlanProgress, type PlanStatus } from './plan-progress.js';
import { type PlanStep, rollbackOf } from './planner.js';

export { isFinished, newProgress, type PlanProgress, type PlanStatus } from './plan-progress.js';

export interface PlanJob {
  oid: string;
  steps: PlanStep[];
  /** Security info when the plan started: the reference for settling a step whose answer was lost. */
  before: SecurityInfo;
}

export interface ExecutorOptions {
  /** How often a step whose write provably did not land is sent again (default 2). */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
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

/** No answer, or a 5xx: the write may or may not have happened. A 4xx answer is a definite "no". */
function outcomeUnknown(err: GraphError): boolean {
  return err.status === 0 || err.status >= 500;
}

type Save = (progress: PlanProgress) => Promise<void>;

export class PlanExecutor {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly graph: AuthMethodsClient,
    private readonly logger: Logger,
    private readonly options: ExecutorOptions = {},
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Runs, resumes or finishes a plan from `progress`; `save` must persist each progress before it returns. */
  async run(job: PlanJob, progress: PlanProgress, save: Save): Promise<PlanProgress> {
    // Finished already (its deliverer stopped before reporting it): report it again, never run or undo anything.
    if (isFinished(progress)) return progress;
    let p = progress;
    if (p.inFlight !== undefined) p = await this.settleInFlight(job, p, save);
    if (p.status === 'running') {
      while (p.applied < job.steps.length) {
        const index = p.applied;
        const sent = await this.send(job, p, index, 'forward', save);
        if (sent.ok) {
          p = { ...p, applied: index + 1, inFlight: undefined, requestIds: [...p.requestIds, sent.requestId] };
          await save(p);
          continue;
        }
        const e = sent.error;
        this.logger.warn({ step: index, code: e.code, requestId: e.requestId }, 'plan step failed; rolling back');
        p = {
          ...p,
          inFlight: undefined,
          status: 'rolling-back',
          error: { code: e.code, status: e.status, graphCode: e.graphCode },
        };
        await save(p);
        break;
      }
      if (p.status === 'running') return this.finish(p, 'done', save);
    }
    return this.rollback(job, p, save);
  }

  private async rollback(job: PlanJob, progress: PlanProgress, save: Save): Promise<PlanProgress> {
    let p = progress;
    // Undo in reverse; `applied` counts down as each undo lands, so a crash here resumes the rollback too.
    for (const _undo of rollbackOf(job.steps, p.applied)) {
      const sent = await this.send(job, p, p.applied - 1, 'undo', save);
      if (!sent.ok) {
        this.logger.error(
          { code: sent.error.code, applied: p.applied },
          'rollback failed: security info is part-changed',
        );
        return this.finish({ ...p, inFlight: undefined }, 'rollback-failed', save);
      }
      p = { ...p, applied: p.applied - 1, inFlight: undefined, requestIds: [...p.requestIds, sent.requestId] };
      await save(p);
    }
    return this.finish(p, 'rolled-back', save);
  }

  /**
   * One Graph write, recorded as in flight first. A lost answer is settled by reading Graph back. Resolves Graph's
   * verdict; throws only when the outcome cannot be known (storage failed, or Graph could not be read back): the step
   * then stays in flight and is settled when the flow is resumed.
   */
  private async send(
    job: PlanJob,
    progress: PlanProgress,
    index: number,
    direction: 'forward' | 'undo',
    save: Save,
  ): Promise<{ ok: true; requestId: string } | { ok: false; error: GraphError }> {
    const step = job.steps[index] as PlanStep;
    const op = direction === 'forward' ? step.operation : step.undo;
    const retries = this.options.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      await save({ ...progress, inFlight: index });
      try {
        return { ok: true, requestId: (await this.graph.apply(job.oid, op)).requestId ?? '' };
      } catch (err) {
        if (!(err instanceof GraphError)) throw err;
        if (!outcomeUnknown(err)) return { ok: false, error: err };
        const landed = await this.landed(job, index, direction);
        this.logger.warn({ step: index, direction, landed, attempt }, 'write answer lost; settled by reading Graph');
        if (landed) return { ok: true, requestId: err.requestId ?? '' };
        if (attempt >= retries) return { ok: false, error: err };
        await this.sleep(1000 * 2 ** attempt);
      }
    }
  }

  /** Whether step `index` (or its undo) is what Graph now shows, compared with the state just before it. */
  private async landed(job: PlanJob, index: number, direction: 'forward' | 'undo'): Promise<boolean> {
    const ops = job.steps.map((s) => s.operation);
    const beforeStep = (direction === 'forward' ? ops.slice(0, index) : ops.slice(0, index + 1)).reduce(
      (s, o) => applyOperation(s, o),
      job.before,
    );
    const step = job.steps[index] as PlanStep;
    const op: Operation = direction === 'forward' ? step.operation : step.undo;
    const expected = applyOperation(beforeStep, op);
    const actual = await this.graph.securityInfo(job.oid);
    return sameState(actual, expected) && !sameState(actual, beforeStep);
  }

  /** A step was in flight when the process stopped: read Graph to see whether it landed, so it is never sent twice. */
  private async settleInFlight(job: PlanJob, progress: PlanProgress, save: Save): Promise<PlanProgress> {
    const index = progress.inFlight as number;
    const forward = progress.status === 'running';
    const landed = await this.landed(job, index, forward ? 'forward' : 'undo');
    const applied = landed ? (forward ? index + 1 : index) : progress.applied;
    this.logger.warn({ step: index, landed }, 'settled the step that was in flight when the process stopped');
    const next = {
      ...progress,
      applied,
      inFlight: undefined,
      settledByRead: (progress.settledByRead ?? 0) + 1,
      requestIds: landed ? [...progress.requestIds, ''] : progress.requestIds,
    };
    await save(next);
    return next;
  }

  private async finish(progress: PlanProgress, status: PlanStatus, save: Save): Promise<PlanProgress> {
    const done = { ...progress, status };
    await save(done);
    return done;
  }
}
