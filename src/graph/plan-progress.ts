// How far a plan of Graph writes got (pure data, stored in the flow's record): the flow core starts it, the executor
// (plan-executor.ts, the I/O) moves it on.
export type PlanStatus = 'running' | 'rolling-back' | 'done' | 'rolled-back' | 'rollback-failed';

export interface PlanProgress {
  applied: number;
  inFlight?: number;
  status: PlanStatus;
  requestIds: string[];
  error?: { code: string; status: number; graphCode?: string };
  /** Calls whose answer was lost and were settled by reading Graph back. */
  settledByRead?: number;
}

export const newProgress = (): PlanProgress => ({ applied: 0, status: 'running', requestIds: [] });
export const isFinished = (p: PlanProgress) => p.status !== 'running' && p.status !== 'rolling-back';
