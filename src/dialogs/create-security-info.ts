import type { Storage } from 'botbuilder';
import type { AuditLog } from '../audit/audit-log.js';
import { createAuditLog } from '../audit/create-audit-log.js';
import type { CardBuilder } from '../cards/card-builder.js';
import type { Config } from '../config.js';
import { AppTokenProvider } from '../graph/app-token.js';
import { AuthMethodsClient } from '../graph/auth-methods-client.js';
import { PlanExecutor } from '../graph/plan-executor.js';
import { HttpsClient } from '../identity/https-client.js';
import type { StepUpService } from '../identity/step-up-service.js';
import type { Logger } from '../logging.js';
import { AcsEmailSender, AcsSmsSender } from '../messaging/acs-senders.js';
import type { EmailSender, SmsSender } from '../messaging/senders.js';
import { ChangeNotifier } from '../notify/change-notifier.js';
import { OneTimeCodes } from '../possession/one-time-codes.js';
import { SecurityInfoDialog } from './security-info-dialog.js';

export interface SecurityInfoWiring {
  dialog: SecurityInfoDialog;
  executor: PlanExecutor;
  audit: AuditLog;
}

/** Graph client, executor, codes, notifier and audit for the security-info dialog. */
export function createSecurityInfo(
  config: Config,
  deps: {
    storage: Storage;
    stepUp: StepUpService;
    cards: CardBuilder;
    logger: Logger;
    extraCaPem?: string;
    messaging?: SmsSender & EmailSender;
  },
): SecurityInfoWiring {
  const http = new HttpsClient({ extraCaPem: deps.extraCaPem, timeoutMs: 60_000 });
  const s = config.stepUp;
  const tokens = new AppTokenProvider(
    {
      authorityHost: s.authorityHost,
      tenantId: s.tenantId,
      clientId: s.clientId,
      clientSecret: s.clientSecret,
      clientCertificatePath: s.clientCertificatePath,
      resource: config.graph.baseUrl,
    },
    http,
    deps.logger,
  );
  const graph = new AuthMethodsClient({
    baseUrl: config.graph.baseUrl,
    http,
    token: tokens.token,
    logger: deps.logger,
  });
  let sms: SmsSender;
  let email: EmailSender;
  if (deps.messaging) {
    sms = deps.messaging;
    email = deps.messaging;
  } else if (config.profile === 'production') {
    sms = new AcsSmsSender(config.acs.connectionString, config.acs.smsFrom);
    email = new AcsEmailSender(config.acs.connectionString, config.acs.emailFrom);
  } else {
    throw new Error('the sandbox needs its outbox as the SMS and e-mail provider');
  }
  const executor = new PlanExecutor(deps.storage, graph, deps.logger);
  const audit = createAuditLog(config.audit);
  const dialog = new SecurityInfoDialog({
    storage: deps.storage,
    graph,
    executor,
    codes: new OneTimeCodes(deps.storage, sms),
    notifier: new ChangeNotifier(sms, email, config.helpdeskContact, deps.logger),
    audit,
    stepUp: deps.stepUp,
    cards: deps.cards,
    logger: deps.logger,
  });
  return { dialog, executor, audit };
}
