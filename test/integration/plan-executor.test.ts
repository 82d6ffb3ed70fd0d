// The executor against the Graph simulator: normal run, rollback after a persistent failure, a write whose answer is
// lost (settled at once by reading Graph back), and restarts after a crash between steps and during a step — each
// write reaches Graph once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newProgress, PlanExecutor, type PlanProgress } from '../../src/graph/plan-executor.js';
import { planChange } from '../../src/graph/planner.js';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { demoSecurityInfo } from '../../src/sandbox/graph/demo-methods.js';
import { type GraphSandbox, startGraphSandbox } from '../helpers/graph-sandbox.js';
import { captureLogs } from '../helpers/log-capture.js';

const ALEX = (DEMO_USERS[0] as { oid: string }).oid;
let sandbox: GraphSandbox;

beforeAll(async () => {
  sandbox = await startGraphSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(() => {
  sandbox.graph.clearFaults();
  sandbox.graph.requests.length = 0;
  for (const [oid, info] of demoSecurityInfo()) sandbox.graph.users.set(oid, info);
});

const writes = () =>
  sandbox.graph.requests
    .filter((r) => r.method !== 'GET' && !r.path.endsWith('$batch'))
    .map((r) => `${r.method} ${r.path.split('/').slice(-1)[0]} ${r.status}`);
const noSleep = async () => {};

class Crash extends Error {}

/** Progress as the flow record holds it, with every save kept. */
function recorder(crashAfterSaves = Number.POSITIVE_INFINITY) {
  const saved: PlanProgress[] = [];
  return {
    saved,
    last: () => saved[saved.length - 1] as PlanProgress,
    save: async (p: PlanProgress) => {
      saved.push(p);
      if (saved.length >= crashAfterSaves) throw new Crash('process died');
    },
  };
}

async function removeAlexMobilePlan() {
  const client = sandbox.client(captureLogs().logger);
  const before = await client.securityInfo(ALEX);
  const plan = planChange(before, { kind: 'removePhone', type: 'mobile' });
  if (!plan.ok) throw new Error('expected a plan');
  expect(plan.steps.map((s) => s.operation.op)).toEqual(['setDefault', 'deletePhone']);
  sandbox.graph.requests.length = 0;
  return { client, job: { oid: ALEX, steps: plan.steps, before }, before };
}

const DELETE_MOBILE = 'DELETE 3179e48a-750b-4051-897c-87b9720928f7 204';

describe('PlanExecutor', () => {
  it('runs every step once, saving progress before and after each, and records Graph request ids', async () => {
    const { client, job } = await removeAlexMobilePlan();
    const r = recorder();
    const done = await new PlanExecutor(client, captureLogs().logger).run(job, newProgress(), r.save);
    expect(done).toMatchObject({ status: 'done', applied: 2 });
    expect(done.requestIds).toHaveLength(2);
    expect(r.saved.map((p) => `${p.applied}/${p.inFlight ?? '-'}`)).toEqual(['0/0', '1/-', '1/1', '2/-', '2/-']);
    expect(writes()).toEqual(['PATCH signInPreferences 204', DELETE_MOBILE]);
    expect(await client.securityInfo(ALEX)).toMatchObject({ phones: {}, defaultMethod: 'push' });
  });

  it('a persistent 503 on step 2: settled by reading (not landed), retried twice, then step 1 rolled back', async () => {
    const { client, job, before } = await removeAlexMobilePlan();
    sandbox.graph.inject({ status: 503, retryAfterSeconds: 0, times: Number.POSITIVE_INFINITY, method: 'DELETE' });
    const done = await new PlanExecutor(client, captureLogs().logger, { sleep: noSleep }).run(
      job,
      newProgress(),
      recorder().save,
    );
    expect(done).toMatchObject({ status: 'rolled-back', applied: 0, error: { code: 'PROOFUP_GRAPH_UNAVAILABLE' } });
    expect(writes()).toEqual([
      'PATCH signInPreferences 204',
      'DELETE 3179e48a-750b-4051-897c-87b9720928f7 503',
      'DELETE 3179e48a-750b-4051-897c-87b9720928f7 503',
      'DELETE 3179e48a-750b-4051-897c-87b9720928f7 503',
      'PATCH signInPreferences 204',
    ]);
    sandbox.graph.clearFaults();
    expect(await client.securityInfo(ALEX)).toEqual(before);
  });

  it('a write that LANDED but whose answer was lost is settled by reading Graph: applied, never sent again', async () => {
    const { client, job } = await removeAlexMobilePlan();
    sandbox.graph.inject({ status: 'reset', method: 'DELETE' });
    const done = await new PlanExecutor(client, captureLogs().logger, { sleep: noSleep }).run(
      job,
      newProgress(),
      recorder().save,
    );
    expect(done).toMatchObject({ status: 'done', applied: 2 });
    expect(writes()).toEqual(['PATCH signInPreferences 204', 'DELETE 3179e48a-750b-4051-897c-87b9720928f7 -204']);
    expect(await client.securityInfo(ALEX)).toMatchObject({ phones: {}, defaultMethod: 'push' });
  });

  it('a write that did NOT land before the connection dropped is sent again (once)', async () => {
    const { client, job } = await removeAlexMobilePlan();
    sandbox.graph.inject({ status: 'reset', resetAfterProcessing: false, method: 'DELETE' });
    const done = await new PlanExecutor(client, captureLogs().logger, { sleep: noSleep }).run(
      job,
      newProgress(),
      recorder().save,
    );
    expect(done).toMatchObject({ status: 'done', applied: 2 });
    expect(writes()).toEqual([
      'PATCH signInPreferences 204',
      'DELETE 3179e48a-750b-4051-897c-87b9720928f7 0',
      DELETE_MOBILE,
    ]);
  });

  it('a crash between steps: the restart finishes the plan without repeating step 1', async () => {
    const { client, job } = await removeAlexMobilePlan();
    const crashing = recorder(2); // died right after recording step 1 as applied
    await expect(new PlanExecutor(client, captureLogs().logger).run(job, newProgress(), crashing.save)).rejects.toThrow(
      Crash,
    );
    expect(writes()).toEqual(['PATCH signInPreferences 204']);
    const done = await new PlanExecutor(client, captureLogs().logger).run(job, crashing.last(), recorder().save);
    expect(done).toMatchObject({ status: 'done', applied: 2 });
    expect(writes()).toEqual(['PATCH signInPreferences 204', DELETE_MOBILE]);
  });

  it('a crash while a step was in flight: the restart asks Graph whether it landed and never sends it twice', async () => {
    const { client, job } = await removeAlexMobilePlan();
    await client.apply(ALEX, (job.steps[0] as (typeof job.steps)[0]).operation); // it landed, then the process died
    const done = await new PlanExecutor(client, captureLogs().logger).run(
      job,
      { ...newProgress(), inFlight: 0 },
      recorder().save,
    );
    expect(done.status).toBe('done');
    expect(writes()).toEqual(['PATCH signInPreferences 204', DELETE_MOBILE]);
  });

  it('a plan that already finished (its deliverer stopped before reporting it) is reported again, never undone', async () => {
    const { client, job } = await removeAlexMobilePlan();
    const executor = new PlanExecutor(client, captureLogs().logger);
    const done = await executor.run(job, newProgress(), recorder().save);
    const again = await executor.run(job, done, recorder().save);
    expect(again).toEqual(done);
    expect(writes()).toEqual(['PATCH signInPreferences 204', DELETE_MOBILE]);
    expect(await client.securityInfo(ALEX)).toMatchObject({ phones: {}, defaultMethod: 'push' });
  });

  it('a crash while a step was in flight that had NOT landed: the restart sends it (once)', async () => {
    const { client, job } = await removeAlexMobilePlan();
    const done = await new PlanExecutor(client, captureLogs().logger).run(
      job,
      { ...newProgress(), inFlight: 0 },
      recorder().save,
    );
    expect(done.status).toBe('done');
    expect(writes()).toEqual(['PATCH signInPreferences 204', DELETE_MOBILE]);
  });
});
