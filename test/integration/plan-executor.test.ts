// The executor against the Graph simulator: normal run, rollback after a persistent failure, and restarts after a
// crash between steps and during a step — each write reaches Graph exactly once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlanExecutor } from '../../src/graph/plan-executor.js';
import { planChange } from '../../src/graph/planner.js';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { demoSecurityInfo } from '../../src/sandbox/graph/demo-methods.js';
import { SqliteStorage } from '../../src/storage/sqlite-storage.js';
import { type GraphSandbox, startGraphSandbox } from '../helpers/graph-sandbox.js';
import { captureLogs } from '../helpers/log-capture.js';

const ALEX = (DEMO_USERS[0] as { oid: string }).oid;
let sandbox: GraphSandbox;
let storage: SqliteStorage;

beforeAll(async () => {
  sandbox = await startGraphSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(() => {
  storage = new SqliteStorage(':memory:');
  sandbox.graph.clearFaults();
  sandbox.graph.requests.length = 0;
  for (const [oid, info] of demoSecurityInfo()) sandbox.graph.users.set(oid, info);
});

const writes = () =>
  sandbox.graph.requests
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.path.split('/').slice(-1)[0]} ${r.status}`);

class Crash extends Error {}

/** What storage holds when the process died after sending step 1 and before recording the answer. */
async function diedWithStepInFlight(id: string, plan: { steps: unknown[] }, before: unknown): Promise<void> {
  const record = {
    id,
    oid: ALEX,
    steps: plan.steps,
    before,
    applied: 0,
    inFlight: 0,
    status: 'running',
    requestIds: [],
    startedAt: Date.now(),
  };
  await storage.write({ [`plan/${id}`]: record, 'plans/active': { ids: [id] } });
}

async function removeAlexMobilePlan(executorLogger = captureLogs().logger) {
  const client = sandbox.client(executorLogger);
  const before = await client.securityInfo(ALEX);
  const plan = planChange(before, { kind: 'removePhone', type: 'mobile' });
  if (!plan.ok) throw new Error('expected a plan');
  expect(plan.steps.map((s) => s.operation.op)).toEqual(['setDefault', 'deletePhone']);
  return { client, before, plan };
}

describe('PlanExecutor', () => {
  it('runs every step once and records Graph request ids', async () => {
    const { client, before, plan } = await removeAlexMobilePlan();
    const record = await new PlanExecutor(storage, client, captureLogs().logger).execute(
      'p1',
      ALEX,
      plan.steps,
      before,
    );
    expect(record.status).toBe('done');
    expect(record.requestIds).toHaveLength(2);
    expect(writes()).toEqual(['PATCH signInPreferences 204', 'DELETE 3179e48a-750b-4051-897c-87b9720928f7 204']);
    expect(await client.securityInfo(ALEX)).toMatchObject({ phones: {}, defaultMethod: 'push' });
  });

  it('a persistent 503 on step 2 rolls back step 1 and leaves the original state', async () => {
    const { client, before, plan } = await removeAlexMobilePlan();
    sandbox.graph.inject({ status: 503, retryAfterSeconds: 0, times: Number.POSITIVE_INFINITY, method: 'DELETE' });
    const record = await new PlanExecutor(storage, client, captureLogs().logger).execute(
      'p2',
      ALEX,
      plan.steps,
      before,
    );
    expect(record).toMatchObject({
      status: 'rolled-back',
      applied: 0,
      error: { code: 'PROOFUP_GRAPH_UNAVAILABLE', status: 503 },
    });
    sandbox.graph.clearFaults();
    expect(await client.securityInfo(ALEX)).toEqual(before);
  });

  it('a crash between steps: the restart finishes the plan without repeating step 1', async () => {
    const { client, before, plan } = await removeAlexMobilePlan();
    const crashing = new PlanExecutor(storage, client, captureLogs().logger, {
      afterStep: async () => {
        throw new Crash('process died');
      },
    });
    await expect(crashing.execute('p3', ALEX, plan.steps, before)).rejects.toBeInstanceOf(Crash);
    expect(writes()).toEqual(['PATCH signInPreferences 204']);

    const restarted = new PlanExecutor(storage, client, captureLogs().logger);
    const [resumed] = await restarted.resumeAll();
    expect(resumed).toMatchObject({ id: 'p3', status: 'done', applied: 2 });
    expect(writes()).toEqual(['PATCH signInPreferences 204', 'DELETE 3179e48a-750b-4051-897c-87b9720928f7 204']);
    expect(await restarted.resumeAll()).toEqual([]);
  });

  it('a crash while a step was in flight: the restart asks Graph whether it landed and never sends it twice', async () => {
    const { client, before, plan } = await removeAlexMobilePlan();
    await diedWithStepInFlight('p4', plan, before);
    await client.apply(ALEX, (plan.steps[0] as (typeof plan.steps)[0]).operation);
    const [resumed] = await new PlanExecutor(storage, client, captureLogs().logger).resumeAll();
    expect(resumed?.status).toBe('done');
    expect(writes()).toEqual(['PATCH signInPreferences 204', 'DELETE 3179e48a-750b-4051-897c-87b9720928f7 204']);
  });

  it('a crash while a step was in flight that had NOT landed: the restart sends it (once)', async () => {
    const { client, before, plan } = await removeAlexMobilePlan();
    await diedWithStepInFlight('p5', plan, before);
    const [resumed] = await new PlanExecutor(storage, client, captureLogs().logger).resumeAll();
    expect(resumed?.status).toBe('done');
    expect(writes()).toEqual(['PATCH signInPreferences 204', 'DELETE 3179e48a-750b-4051-897c-87b9720928f7 204']);
  });
});
