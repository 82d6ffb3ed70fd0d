import { randomUUID } from 'node:crypto';
import type { Pipeline } from '@azure/core-rest-pipeline';
import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  type BotFrameworkAuthentication,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  MsalServiceClientCredentialsFactory,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import { JwtTokenExtractor } from 'botframework-connector/lib/auth/jwtTokenExtractor.js';
import type { Config } from '../config.js';
import { isAppError } from '../errors.js';
import { createConfidentialClient } from '../identity/confidential-client.js';
import { HttpsClient } from '../identity/https-client.js';
import type { Logger } from '../logging.js';
import type { Metrics } from '../metrics/metrics.js';
import { proxyFor } from '../net/outbound-proxy.js';
import { turnLogger } from './turn-logger.js';

/**
 * Inbound authentication: production validates Bot Framework JWTs with the configured (or public-cloud) endpoints;
 * the sandbox is anonymous. Outbound credentials come from the factory given (tests pass an offline one).
 *
 * Behind a corporate proxy (HTTPS_PROXY) botbuilder reaches neither end on its own: it fetches the Bot Framework's
 * signing keys with node-fetch and no agent, and gets the bot's own token with an msal-node of its own that ignores
 * the proxy variables (only the Bot Connector client reads them). So the signing keys are fetched through the proxy
 * (botbuilder's `proxySettings`: host and port only — a proxy that needs credentials is not supported there), and
 * the bot's token comes from an msal app over the identity HTTPS client (proxy, NO_PROXY, timeouts), as the step-up's.
 */
export function createBotAuthentication(
  config: Config,
  credentialsFactory?: ServiceClientCredentialsFactory,
  deps: { logger?: Logger; extraCaPem?: string } = {},
): BotFrameworkAuthentication {
  if (config.profile === 'sandbox')
    return new BoundedBotFrameworkAuthentication({}, undefined, config.connectorTimeoutMs);
  const settings = config.bot.frameworkSettings;
  const proxy = config.network.proxy;
  const factory =
    credentialsFactory ??
    (proxy?.httpsProxy &&
    deps.logger &&
    settings.MicrosoftAppPassword &&
    settings.MicrosoftAppType !== 'UserAssignedMSI'
      ? proxiedCredentials(config, deps.logger, deps.extraCaPem)
      : new ConfigurationServiceClientCredentialFactory({
          MicrosoftAppId: settings.MicrosoftAppId,
          MicrosoftAppPassword: settings.MicrosoftAppPassword,
          MicrosoftAppType: settings.MicrosoftAppType,
          MicrosoftAppTenantId: settings.MicrosoftAppTenantId,
        }));
  fetchSigningKeysThrough(
    [
      settings.ToBotFromChannelOpenIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
      settings.ToBotFromEmulatorOpenIdMetadataUrl ?? AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    ],
    proxy,
  );
  return new BoundedBotFrameworkAuthentication(settings, factory, config.connectorTimeoutMs);
}

/**
 * botbuilder keeps one signing-key fetcher per metadata URL, made by the first validator that asks, and fetches
 * through a proxy only when given `proxySettings` (host and port). Those settings cannot go in the connector client
 * options, where botbuilder would also hand them to the Bot Connector client, which wants a URL there (and reads
 * HTTPS_PROXY itself). So the fetchers are made here first, with the proxy, before any request is validated.
 */
function fetchSigningKeysThrough(urls: string[], proxy: Config['network']['proxy']): void {
  const extractor = JwtTokenExtractor as unknown as {
    getOrAddOpenIdMetadata?: (url: string, settings: { host: string; port: number }, refreshHours: number) => unknown;
  };
  for (const url of urls) {
    const via = proxyFor(new URL(url), proxy);
    if (!via) continue;
    // Fail loudly if a botbuilder upgrade moves the cache: silently fetching without the proxy is what this fixes.
    if (typeof extractor.getOrAddOpenIdMetadata !== 'function')
      throw new Error('botframework-connector: no signing-key cache to route through the proxy');
    const { hostname, port } = new URL(via);
    extractor.getOrAddOpenIdMetadata(url, { host: hostname, port: Number(port || 80) }, SIGNING_KEYS_REFRESH_HOURS);
  }
}

/** The bot's token (client credentials) from an msal app over the identity HTTPS client, which knows the proxy. */
function proxiedCredentials(
  config: Extract<Config, { profile: 'production' }>,
  logger: Logger,
  extraCaPem?: string,
): ServiceClientCredentialsFactory {
  const { frameworkSettings: settings, appId, appType, tenantId } = config.bot;
  // botbuilder's own choice of authority: the configured login URL, else the public cloud's for the bot's type.
  const login = new URL(
    settings.ToChannelFromBotLoginUrl ??
      `https://login.microsoftonline.com/${appType === 'SingleTenant' ? tenantId : 'botframework.com'}`,
  );
  const http = new HttpsClient({ extraCaPem, proxy: config.network.proxy, timeoutMs: config.connectorTimeoutMs });
  const app = createConfidentialClient(
    {
      authorityHost: login.origin,
      tenantId: login.pathname.replace(/^\/+|\/+$/g, ''),
      clientId: appId,
      clientSecret: settings.MicrosoftAppPassword ?? '',
    },
    http,
    logger,
  );
  // botframework-connector types its own msal-node; it calls only acquireTokenByClientCredential, which both have.
  return new MsalServiceClientCredentialsFactory(appId, app as never);
}

/**
 * botbuilder's authentication with two bounds it lacks:
 * - every Bot Connector call, its retries included, ends within `timeoutMs`. botbuilder sets no timeout: a connector
 *   that never answers held a turn (and its memory) forever, an unreachable one held it through ~10 s of retries.
 *   (ConnectorFactoryImpl overwrites `requestPolicyFactories`, so the deadline is added to each client's pipeline,
 *   outside its retry policy.)
 * - the Bot Framework's signing keys are refreshed every hour instead of every 24 (`tokenRefreshInterval`, hours),
 *   so a withdrawn key stops being trusted within the hour.
 */
/** How often the Bot Framework's signing keys are fetched again, in hours (botbuilder's default: 24). */
const SIGNING_KEYS_REFRESH_HOURS = 1;

export class BoundedBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    settings: Record<string, string | undefined>,
    credentialsFactory: ServiceClientCredentialsFactory | undefined,
    private readonly timeoutMs: number,
  ) {
    super(settings, credentialsFactory, undefined, undefined, { tokenRefreshInterval: SIGNING_KEYS_REFRESH_HOURS });
  }

  /** Turns get their connector factory from here (CloudAdapter.processActivity). */
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: this.bounded(result.connectorFactory) } : result;
  }

  /** Messages outside a turn (continueConversation, createConversation) get theirs from here. */
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.bounded(super.createConnectorFactory(claimsIdentity));
  }

  /**
   * Connector clients reused per (service URL, audience): botbuilder builds a new client — credentials, HTTP pipeline
   * — on every turn. Proofup is one bot (one app id), so a client for a service URL serves every turn to it; its
   * credentials refresh their own tokens. A failed creation is not kept.
   */
  private readonly clients = new Map<string, Promise<ConnectorClient>>();

  private bounded(inner: ConnectorFactory): ConnectorFactory {
    return {
      create: (serviceUrl: string, audience?: string) => {
        const key = `${serviceUrl}\n${audience ?? ''}`;
        let client = this.clients.get(key);
        if (!client) {
          if (this.clients.size >= 64) this.clients.clear(); // a handful of service URLs in practice
          client = inner.create(serviceUrl, audience).then((c) => withDeadline(c, this.timeoutMs));
          client.catch(() => this.clients.delete(key));
          this.clients.set(key, client);
        }
        return client;
      },
    };
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function withDeadline(client: ConnectorClient, timeoutMs: number): ConnectorClient {
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  // Fail loudly if a botbuilder upgrade moves the pipeline: silently losing the deadline is what this fixes.
  if (!pipeline) throw new Error('botframework-connector: no HTTP pipeline to put the connector deadline on');
  pipeline.addPolicy({
    name: 'proofup-connector-deadline',
    sendRequest: (request, next) => {
      request.timeout = request.timeout || timeoutMs;
      request.abortSignal ??= AbortSignal.timeout(timeoutMs);
      return next(request);
    },
  });
  // Nothing listening at the connector's address: retrying within seconds does not help, so the retry policy is told
  // it is final (it retries only RestErrors) and the turn learns at once instead of after ~10 s of back-off.
  pipeline.addPolicy(
    {
      name: 'proofup-connector-unreachable',
      sendRequest: async (request, next) => {
        try {
          return await next(request);
        } catch (err) {
          const code = (err as { code?: string }).code ?? '';
          if (!UNREACHABLE.has(code)) throw err;
          throw Object.assign(new Error(`Bot Connector unreachable (${code}): ${new URL(request.url).host}`), { code });
        }
      },
    },
    { afterPhase: 'Retry' },
  );
  return client;
}

/**
 * CloudAdapter split in two steps so the HTTP edge can answer every rejected token with 401: CloudAdapter.process()
 * answers 500 when the JWT library throws something other than AuthenticationError (e.g. a wrong signing key).
 */
export class ProofupAdapter extends CloudAdapter {
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  processAuthenticated(
    result: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(result, activity, logic);
  }
}

/**
 * What a failed turn tells the user, from the state of their chat's flow ("nothing was changed" only when the flow
 * says so); undefined: a general wording that claims nothing about a change.
 */
export type TurnErrorReply = (context: TurnContext, ref: string) => Promise<string | undefined>;

/** The adapter with one exit for turn errors: log the code with ids, tell the user something true. */
export function createAdapter(
  auth: BotFrameworkAuthentication,
  logger: Logger,
  metrics?: Metrics,
  reply: () => TurnErrorReply | undefined = () => undefined,
): ProofupAdapter {
  const adapter = new ProofupAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const ref = randomUUID().slice(0, 8);
    metrics?.turnErrors.inc({ code: isAppError(error) ? error.code : 'PROOFUP_TURN_FAILED' });
    const log = turnLogger(context, logger);
    log.error(
      {
        err: error,
        code: isAppError(error) ? error.code : 'PROOFUP_TURN_FAILED',
        ref,
        activityId: context.activity.id,
        conversationId: context.activity.conversation?.id,
        activityType: context.activity.type,
      },
      'turn failed',
    );
    try {
      const told = await reply()?.(context, ref).catch((err) => {
        log.warn({ err, ref }, 'could not read the flow for the failed turn');
        return undefined;
      });
      // Without a word from the chat's flow nothing can be claimed about a change (it may be on its way).
      await context.sendActivity(
        told ??
          `Sorry, something went wrong on our side. Please try again in a minute; if it keeps happening, ` +
            `contact the helpdesk and mention reference ${ref}.`,
      );
    } catch (sendError) {
      log.error({ err: sendError, ref }, 'could not tell the user about the failed turn');
    }
  };
  return adapter;
}
