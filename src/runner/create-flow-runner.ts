import type { AuditLog } from '../audit/audit-log.js';
import { createAuditLog } from '../audit/create-audit-log.js';
import type { Config } from '../config.js';
import { AppTokenProvider, appTokenOptions } from '../graph/app-token.js';
import { AuthMethodsClient } from '../graph/auth-methods-client.js';
import { PlanExecutor } from '../graph/plan-executor.js';
import { HttpsClient } from '../identity/https-client.js';
import type { StepUpService } from '../identity/step-up-service.js';
import { PersonLimits } from '../limits/person-limits.js';
import type { Logger } from '../logging.js';
import { countedSenders, type EmailSender, type SmsSender } from '../messaging/senders.js';
import { graphOperation, type Metrics } from '../metrics/metrics.js';
import { ChangeNotifier } from '../notify/change-notifier.js';
import { NumberRegistry } from '../numbers/number-registry.js';
import { SmsCountries } from '../numbers/sms-countries.js';
import { CodeSender } from '../possession/one-time-codes.js';
import type { Retained } from '../storage/records.js';
import type { ProofupStorage } from '../storage/store.js';
import { CallEventVerifier } from '../voice/call-events.js';
import { CodeCaller } from '../voice/code-caller.js';
import { EffectExecutor } from './effect-executor.js';
import type { FlowEventListener, FlowPresenter } from './flow-presenter.js';
import { FlowRunner } from './flow-runner.js';
import { FlowStore } from './flow-store.js';
import { FlowSweeper } from './flow-sweeper.js';

export interface FlowWiring {
  runner: FlowRunner;
  /** Present when calls are configured (ACS Call Automation or the sandbox's simulation), with its events' checker. */
  calls?: { caller: CodeCaller; verifier: CallEventVerifier };
  sweeper: FlowSweeper;
  audit: AuditLog;
  graph: AuthMethodsClient;
  /** E-mail and SMS notices (the helpdesk's pass notices too). */
  notifier: ChangeNotifier;
  /** Per-person limits (new changes per day here; requests for the helpdesk per hour in the helpdesk dialog). */
  limits: PersonLimits;
}

/** Graph client, executor, codes, notifier, audit, and the runner that drives the flow core with them. */
export async function createFlowRunner(
  config: Config,
  deps: {
    storage: ProofupStorage;
    stepUp: StepUpService;
    presenterFor: (channelId: string) => FlowPresenter;
    logger: Logger;
    listeners?: FlowEventListener[];
    /** Every kind of record with a lifetime, for the sweep (src/retention.ts). */
    retained?: readonly Retained[];
    extraCaPem?: string;
    messaging?: SmsSender & EmailSender;
    metrics?: Metrics;
  },
): Promise<FlowWiring> {
  const http = new HttpsClient({
    extraCaPem: deps.extraCaPem,
    timeoutMs: config.graph.timeoutMs,
    proxy: config.network.proxy,
  });
  const tokens = new AppTokenProvider(appTokenOptions(config.stepUp, config.graph.baseUrl), http, deps.logger);
  const graph = new AuthMethodsClient({
    baseUrl: config.graph.baseUrl,
    http,
    token: tokens.token,
    logger: deps.logger,
    onAnswer: (method, path, status) =>
      deps.metrics?.graphRequests.inc({ method, operation: graphOperation(path), status: String(status) }),
  });
  let sms: SmsSender;
  let email: EmailSender;
  if (deps.messaging) {
    sms = deps.messaging;
    email = deps.messaging;
  } else if (config.profile === 'production') {
    ({ sms, email } = lazyAcsSenders(config.acs, config.network.acsTimeoutMs));
  } else {
    throw new Error('the sandbox needs its outbox as the SMS and e-mail provider');
  }
  if (deps.metrics) {
    const metrics = deps.metrics;
    ({ sms, email } = countedSenders(sms, email, (kind, outcome) => metrics.messagesSent.inc({ kind, outcome })));
  }
  const audit = await createAuditLog(config.audit);
  const store = new FlowStore(deps.storage);
  const registry = new NumberRegistry(deps.storage, config.numbers.hashKey, graph, deps.logger);
  const numbers = {
    registry,
    countries: new SmsCountries(config.numbers.smsCountries, graph, deps.logger),
    sharedPolicy: config.numbers.sharedPolicy,
  };
  const caller = config.calls
    ? new CodeCaller(
        {
          connectionString: config.calls.connectionString,
          from: config.calls.from,
          eventsUrl: config.calls.eventsUrl,
          cognitiveServicesEndpoint: config.calls.cognitiveServicesEndpoint,
          secret: config.numbers.hashKey,
          extraCaPem: deps.extraCaPem,
          count: (outcome) => deps.metrics?.messagesSent.inc({ kind: 'call', outcome }),
        },
        deps.logger,
      )
    : undefined;
  const notifier = new ChangeNotifier(sms, email, config.helpdeskContact, deps.logger);
  const effects = new EffectExecutor({
    presenterFor: deps.presenterFor,
    codes: new CodeSender(deps.storage, sms, (e164) => registry.tag(e164)),
    ...(caller ? { caller } : {}),
    numbers: registry,
    executor: new PlanExecutor(graph, deps.logger),
    graph,
    notifier,
    audit,
    listeners: deps.listeners ?? [],
    logger: deps.logger,
  });
  const limits = new PersonLimits({
    storage: deps.storage,
    limits: config.limits,
    audit,
    count: (limit) => deps.metrics?.limitRefusals.inc({ limit }),
  });
  const runner = new FlowRunner({
    limits,
    numbers,
    store,
    effects,
    graph,
    stepUp: deps.stepUp,
    presenterFor: deps.presenterFor,
    logger: deps.logger,
    leaseMs: config.flowLeaseMs,
    retryLimitMs: config.deliveryRetryMs,
  });
  const sweeper = new FlowSweeper(runner, store, deps.storage, deps.logger, deps.retained);
  // The call events' signing keys: identity's HTTPS client (proxy-aware), with its own short timeout.
  const calls =
    caller && config.calls
      ? {
          caller,
          verifier: new CallEventVerifier(
            new HttpsClient({ extraCaPem: deps.extraCaPem, proxy: config.network.proxy }),
            { openIdConfigUrl: config.calls.openIdConfigUrl, audience: config.calls.resourceId },
          ),
        }
      : undefined;
  return { runner, sweeper, audit, graph, notifier, limits, ...(calls ? { calls } : {}) };
}

/**
 * ACS senders whose SDKs load on the first send, not at start-up (they are a large part of the start time, and most
 * turns never text anyone). The connection string's format is checked with the configuration.
 */
function lazyAcsSenders(
  acs: { connectionString: string; smsFrom: string; emailFrom: string },
  timeoutMs: number,
): {
  sms: SmsSender;
  email: EmailSender;
} {
  let loaded: Promise<{ sms: SmsSender; email: EmailSender }> | undefined;
  const load = () => {
    loaded ??= import('../messaging/acs-senders.js').then(({ AcsSmsSender, AcsEmailSender }) => ({
      sms: new AcsSmsSender(acs.connectionString, acs.smsFrom, { timeoutMs }),
      email: new AcsEmailSender(acs.connectionString, acs.emailFrom, { timeoutMs }),
    }));
    return loaded;
  };
  return {
    sms: { sendSms: async (to, text, repeatable) => (await load()).sms.sendSms(to, text, repeatable) },
    email: { sendEmail: async (message, repeatable) => (await load()).email.sendEmail(message, repeatable) },
  };
}
