// OAuth installs (SLACK_STATE_SECRET): @slack/oauth's InstallProvider does the OAuth v2 exchange at Bolt's usual paths
// (/slack/install sets a state cookie and sends the admin to Slack; /slack/oauth_redirect checks that cookie against
// the state, exchanges the code, runs auth.test), and keeps each installation in Proofup's storage, sealed
// (slack-installations.ts). It also answers Bolt's authorize for every event — refusing workspaces and orgs the
// allow-list does not name — and refreshes rotating tokens before they expire.
import { webApi } from '@slack/bolt';
import { type Installation, type InstallationQuery, InstallProvider } from '@slack/oauth';
import type { SlackConfig, SlackInstallsConfig } from '../../config-model.js';
import type { Logger } from '../../logging.js';
import type { ProofupStorage } from '../../storage/store.js';
import { SlackInstallations } from './slack-installations.js';

/** The bot scopes an install asks for: manifest/slack/manifest.yml's (a unit test holds the two together). */
export const BOT_SCOPES = [
  'chat:write',
  'im:history',
  'im:write',
  'app_mentions:read',
  'users:read',
  'users:read.email',
  'commands',
] as const;

export const SLACK_INSTALL_PATH = '/slack/install';
export const SLACK_REDIRECT_PATH = '/slack/oauth_redirect';

/** An event's or a call's workspace ids, as Bolt and @slack/oauth name them. */
interface Source {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

export interface SlackInstalls {
  installer: InstallProvider;
  installations: SlackInstallations;
  /** Bolt's authorize: the stored installation's token for an event's workspace, or a refusal. */
  authorize(source: Source): Promise<Awaited<ReturnType<InstallProvider['authorize']>>>;
  /** The bot token of a workspace key (E… for a Grid org, T… otherwise), for work started outside an event. */
  tokenOf(workspace: string): Promise<string>;
  /**
   * After Slack's exchange, before anything is stored: an install from a workspace or org the allow-list does not name
   * is undone at Slack (apps.uninstall, so no token stays alive there) and refused (false).
   */
  admit(installation: Installation): Promise<boolean>;
  /** app_uninstalled, or the bot's tokens revoked: the installation is deleted. */
  uninstalled(source: Source): Promise<void>;
}

/** How long an instance whose token refresh Slack refused waits before reading the pair another instance stored. */
const REREAD_AFTER_REFUSED_REFRESH_MS = 500;

export function createSlackInstalls(
  config: SlackConfig & { installs: SlackInstallsConfig },
  deps: { storage: ProofupStorage; publicBaseUrl: string; logger: Logger; clientOptions: object },
): SlackInstalls {
  const { installs } = config;
  const log = deps.logger.child({ component: 'slack-installs' });
  const installations = new SlackInstallations(deps.storage, installs.tokenKey, installs.allowed);
  const installer = new InstallProvider({
    clientId: installs.clientId,
    clientSecret: installs.clientSecret,
    stateSecret: installs.stateSecret,
    installationStore: installations,
    authorizationUrl: installs.authorizeUrl,
    directInstall: true,
    installUrlOptions: { scopes: [...BOT_SCOPES], redirectUri: `${deps.publicBaseUrl}${SLACK_REDIRECT_PATH}` },
    clientOptions: { ...deps.clientOptions, slackApiUrl: config.apiUrl },
    logger: {
      debug: () => undefined,
      info: () => undefined,
      warn: (...m: unknown[]) => log.warn(m.map(String).join(' ').slice(0, 300)),
      error: (...m: unknown[]) => log.warn(m.map(String).join(' ').slice(0, 300)),
      setLevel: () => undefined,
      getLevel: () => 'info' as never,
      setName: () => undefined,
    },
  });
  const allowed = (s: Source) =>
    (s.enterpriseId !== undefined && installs.allowed.has(s.enterpriseId)) ||
    (s.teamId !== undefined && installs.allowed.has(s.teamId));
  // With token rotation a refresh token works once: events arriving together from one workspace share one authorize
  // (one refresh) instead of each spending the same refresh token (Slack refuses all but the first; @slack/oauth
  // then logs the failure and goes on with the old token). Another instance refreshing at the same moment is that
  // same case: it keeps the token it read, valid until its own expiry, and later reads the pair the winner stored —
  // unless that token has expired already: then it reads the store again once the winner has had time to write.
  const inFlight = new Map<string, ReturnType<InstallProvider['authorize']>>();
  const authorizeFresh = async (q: InstallationQuery<boolean>) => {
    const found = await installer.authorize(q);
    const expired = found.botTokenExpiresAt !== undefined && found.botTokenExpiresAt * 1000 <= Date.now();
    if (!expired) return found;
    await new Promise((resolve) => setTimeout(resolve, REREAD_AFTER_REFUSED_REFRESH_MS));
    return installer.authorize(q);
  };
  const authorize = (source: Source) => {
    if (!allowed(source))
      return Promise.reject(
        new Error(`Slack workspace ${source.enterpriseId ?? ''} ${source.teamId ?? ''} is not allowed`.trim()),
      );
    const key = `${source.enterpriseId ?? ''}/${source.teamId ?? ''}/${Boolean(source.isEnterpriseInstall)}`;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = authorizeFresh(query(source)).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
  return {
    installer,
    installations,
    authorize,
    admit: async (installation) => {
      const id = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
      if (id && installs.allowed.has(id)) return true;
      const token = installation.bot?.token;
      if (token)
        await new webApi.WebClient(undefined, { ...deps.clientOptions, slackApiUrl: config.apiUrl }).apps
          .uninstall({ token, client_id: installs.clientId, client_secret: installs.clientSecret })
          .catch((err: unknown) => log.warn({ err, workspace: id }, 'apps.uninstall of a refused install failed'));
      return false;
    },
    tokenOf: async (workspace) => {
      const found = await authorize(
        workspace.startsWith('E')
          ? { enterpriseId: workspace, isEnterpriseInstall: true }
          : { teamId: workspace, isEnterpriseInstall: false },
      );
      if (!found.botToken) throw new Error(`Slack installation ${workspace} has no bot token`);
      return found.botToken;
    },
    uninstalled: async (source) => {
      await installations.deleteInstallation(query(source));
      log.info(
        {
          code: 'PROOFUP_SLACK_UNINSTALLED',
          workspace: source.isEnterpriseInstall ? source.enterpriseId : source.teamId,
        },
        'Slack app uninstalled (or its bot token revoked): the installation is deleted',
      );
    },
  };
}

function query(s: Source): InstallationQuery<boolean> {
  return {
    teamId: s.teamId,
    enterpriseId: s.enterpriseId,
    isEnterpriseInstall: Boolean(s.isEnterpriseInstall),
  } as InstallationQuery<boolean>;
}
