// The Graph client against the Graph simulator (same rules, shapes and errors as Graph), with an app-only token
// from the simulated Entra ID through msal-node's client-credential flow.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthMethodsClient } from '../../src/graph/auth-methods-client.js';
import { GraphError } from '../../src/graph/graph-error.js';
import { planChange } from '../../src/graph/planner.js';
import { DEMO_USERS } from '../../src/sandbox/entra/demo-directory.js';
import { type GraphSandbox, startGraphSandbox } from '../helpers/graph-sandbox.js';
import { captureLogs } from '../helpers/log-capture.js';

const [ALEX, MEGAN, ADELE, ISAIAH] = DEMO_USERS.map((u) => u.oid) as [string, string, string, string];
let sandbox: GraphSandbox;
let graph: GraphSandbox['graph'];
let logs: string[];
let sleeps: number[];
let client: AuthMethodsClient;

beforeAll(async () => {
  sandbox = await startGraphSandbox();
  graph = sandbox.graph;
});
afterAll(async () => {
  await sandbox?.stop();
});
beforeEach(() => {
  sleeps = [];
  graph.clearFaults();
  const captured = captureLogs();
  logs = captured.lines;
  client = sandbox.client(captured.logger, sleeps);
});

describe('reading security info', () => {
  it('lists phones, other methods and the default method', async () => {
    expect(await client.securityInfo(ALEX)).toEqual({
      phones: { mobile: '+1 4255550100' },
      others: ['microsoftAuthenticator'],
      // With Graph's id of each method (a new passkey is told from the ones already there by it).
      listed: [
        { kind: 'microsoftAuthenticator', name: 'Pixel 8', id: 'microsoftAuthenticator-0' },
        { kind: 'email', name: 'a•••@fabrikam.example' },
      ],
      defaultMethod: 'sms',
      systemPreferredEnabled: false,
      usageLocation: 'US',
    });
  });

  it('every registered method is listed once with one name: passkey, Windows Hello, OATH, TAP; never the password', async () => {
    const isaiah = await client.securityInfo(ISAIAH);
    expect(isaiah.listed?.map((m) => m.kind)).toEqual([
      'microsoftAuthenticator',
      'windowsHelloForBusiness',
      'softwareOath',
    ]);
    expect(isaiah.others).toEqual(['microsoftAuthenticator', 'windowsHelloForBusiness', 'softwareOath']);
    const patti = await client.securityInfo(DEMO_USERS[4]?.oid as string);
    expect(patti.listed?.[0]).toEqual({ kind: 'fido2', name: 'YubiKey 5C NFC', id: 'fido2-0' });
    expect(patti.listed?.[1]).toMatchObject({ kind: 'temporaryAccessPass', until: expect.any(Number) });
    expect(patti.others).toEqual(['fido2']); // a Temporary Access Pass is listed, never counted as a lasting method
    expect(JSON.stringify([isaiah, patti])).not.toMatch(/password/i);
  });

  it('reads them in ONE request to Graph (JSON batching: methods + beta signInPreferences + usage location)', async () => {
    graph.requests.length = 0;
    const info = await client.securityInfo(ALEX);
    expect(graph.requests.filter((r) => !r.inBatch).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /beta/$batch']);
    expect(graph.requests.filter((r) => r.inBatch).map((r) => r.path.split('/').at(-1))).toEqual([
      'methods',
      'signInPreferences',
      ALEX,
    ]);
    expect(info.usageLocation).toBe('US');
  });

  it('a usage location that cannot be read only loses the pre-selected country', async () => {
    graph.inject({ status: 403, method: 'GET', pathEndsWith: `/users/${ALEX}` });
    const info = await client.securityInfo(ALEX);
    expect(info.usageLocation).toBeUndefined();
    expect(info.phones.mobile).toBe('+1 4255550100');
  });

  it('an item of the batch that fails for good is a coded error with its own status', async () => {
    graph.inject({ status: 403, method: 'GET', pathIncludes: 'signInPreferences' });
    await expect(client.securityInfo(ALEX)).rejects.toMatchObject({
      code: 'PROOFUP_GRAPH_CLAIMS_CHALLENGE',
      status: 403,
    });
  });

  it('an unknown user is a coded "not found"', async () => {
    await expect(client.securityInfo('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'PROOFUP_GRAPH_NOT_FOUND',
      status: 404,
    });
  });
});

describe('Graph rules: refused by Graph, correctly planned by the planner', () => {
  it('a second mobile: POST is refused, the planner PATCHes', async () => {
    await expect(
      client.apply(ALEX, { op: 'createPhone', type: 'mobile', number: '+1 4255550199' }),
    ).rejects.toMatchObject({ code: 'PROOFUP_GRAPH_REFUSED', status: 400 });
    const plan = planChange(await client.securityInfo(ALEX), {
      kind: 'setPhone',
      type: 'mobile',
      number: '+1 4255550199',
    });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    for (const step of plan.steps) expect((await client.apply(ALEX, step.operation)).status).toBe(204);
    expect((await client.securityInfo(ALEX)).phones.mobile).toBe('+1 4255550199');
  });

  it('an alternate without a mobile: refused by Graph and by the planner', async () => {
    await expect(
      client.apply(ISAIAH, { op: 'createPhone', type: 'alternateMobile', number: '+1 4255550111' }),
    ).rejects.toBeInstanceOf(GraphError);
    expect(
      planChange(await client.securityInfo(ISAIAH), {
        kind: 'setPhone',
        type: 'alternateMobile',
        number: '+1 4255550111',
      }),
    ).toEqual({ ok: false, refusal: 'alternate-needs-mobile' });
  });

  it('deleting the mobile while an alternate exists: refused by both', async () => {
    await expect(client.apply(MEGAN, { op: 'deletePhone', type: 'mobile' })).rejects.toMatchObject({ status: 400 });
    expect(planChange(await client.securityInfo(MEGAN), { kind: 'removePhone', type: 'mobile' })).toMatchObject({
      refusal: 'mobile-needed-by-alternate',
    });
  });

  it('deleting the default phone: Graph refuses; the plan moves the default first and Graph accepts it', async () => {
    await expect(client.apply(MEGAN, { op: 'deletePhone', type: 'office' })).resolves.toMatchObject({ status: 204 });
    const info = await client.securityInfo(MEGAN);
    await expect(client.apply(MEGAN, { op: 'deletePhone', type: 'alternateMobile' })).resolves.toMatchObject({
      status: 204,
    });
    await expect(client.apply(MEGAN, { op: 'deletePhone', type: 'mobile' })).rejects.toMatchObject({ status: 400 });
    const plan = planChange(
      { ...info, phones: { mobile: info.phones.mobile }, others: ['microsoftAuthenticator'] },
      { kind: 'removePhone', type: 'mobile' },
    );
    expect(plan.ok && plan.steps.map((s) => s.operation.op)).toEqual(['setDefault', 'deletePhone']);
  });

  it('the last usable method: the planner refuses', async () => {
    expect(planChange(await client.securityInfo(ADELE), { kind: 'removePhone', type: 'mobile' })).toEqual({
      ok: false,
      refusal: 'would-leave-no-method',
    });
  });
});

describe('throttling, outages and challenges', () => {
  it('429 with Retry-After is retried after that long, then succeeds', async () => {
    graph.inject({
      status: 429,
      retryAfterSeconds: 2,
      times: 2,
      method: 'GET',
      pathIncludes: '/authentication/methods',
    });
    await expect(client.securityInfo(ALEX)).resolves.toMatchObject({ phones: { mobile: expect.any(String) } });
    expect(sleeps).toEqual([2000, 2000]);
    expect(logs.join('\n')).toMatch(/"requestId":"[0-9a-f-]{36}"/);
  });

  it('a persistent 503 on a read ends, after bounded retries, in a coded "unavailable" with a message for the user', async () => {
    graph.inject({ status: 503, retryAfterSeconds: 1, times: Number.POSITIVE_INFINITY });
    const err = await client.securityInfo(ALEX).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROOFUP_GRAPH_UNAVAILABLE', status: 503 });
    expect((err as GraphError).userMessage).toMatch(/Nothing was changed/);
    expect(sleeps).toEqual([1000, 1000, 1000]);
  });

  it('a 503 on a WRITE is not retried blindly (it may have landed): the executor settles it by reading back', async () => {
    graph.inject({ status: 503, retryAfterSeconds: 1, times: Number.POSITIVE_INFINITY });
    graph.requests.length = 0;
    const err = await client
      .apply(ALEX, { op: 'updatePhone', type: 'mobile', number: '+1 4255550177' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PROOFUP_GRAPH_UNAVAILABLE', status: 503 });
    expect(sleeps).toEqual([]);
    expect(graph.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('a 429 on a write IS retried (Graph did not process it)', async () => {
    graph.inject({ status: 429, retryAfterSeconds: 1, times: 1, method: 'PATCH' });
    graph.requests.length = 0;
    await client.apply(ALEX, { op: 'updatePhone', type: 'mobile', number: '+1 4255550177' });
    expect(sleeps).toEqual([1000]);
    expect(graph.requests.filter((r) => r.method === 'PATCH').map((r) => r.status)).toEqual([429, 204]);
  });

  it('a Retry-After beyond the bound is not waited for', async () => {
    graph.inject({ status: 429, retryAfterSeconds: 3600 });
    await expect(client.securityInfo(ALEX)).rejects.toMatchObject({ code: 'PROOFUP_GRAPH_THROTTLED' });
    expect(sleeps).toEqual([]);
  });

  it('503 without Retry-After backs off exponentially', async () => {
    graph.inject({ status: 503, times: 2 });
    await client.securityInfo(ALEX);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('insufficient_claims is a coded claims challenge', async () => {
    graph.inject({ status: 403, method: 'PATCH' });
    await expect(client.apply(ALEX, { op: 'setDefault', method: 'push' })).rejects.toMatchObject({
      code: 'PROOFUP_GRAPH_CLAIMS_CHALLENGE',
    });
  });

  it('no raw phone number reaches the Graph client logs', async () => {
    await client.apply(ALEX, { op: 'updatePhone', type: 'mobile', number: '+1 4255550188' });
    expect(logs.join('\n')).not.toMatch(/4255550188/);
  });
});
