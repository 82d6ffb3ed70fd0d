// The OAuth install of the Slack app (SLACK_STATE_SECRET): GET /slack/install sends the admin to Slack with a state
// bound to this browser (a cookie), GET /slack/oauth_redirect finishes it. @slack/oauth's InstallProvider does the
// protocol; these pages tell the admin the outcome in words — installed where, or why not.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackOptions, Installation, InstallProvider } from '@slack/oauth';
import type { Logger } from '../../logging.js';
import { donePage, refusalPage } from '../auth-pages.js';

export interface SlackInstallRoutes {
  installer: Pick<InstallProvider, 'handleInstallPath' | 'handleCallback'>;
  /** False for an install from a workspace or org SLACK_ALLOWED_WORKSPACES does not name (undone at Slack). */
  admit: (installation: Installation) => Promise<boolean>;
  logger: Logger;
}

const NOT_ALLOWED =
  'This workspace or organisation may not install Proofup, and it was removed from it again. Ask the team that runs Proofup to add its id to SLACK_ALLOWED_WORKSPACES.';

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(body);
}

/** Why an install failed, in words an admin can act on. */
function failure(error: { code?: string; message?: string; name?: string }): { status: number; message: string } {
  const text = `${error.name ?? ''} ${error.message ?? ''}`;
  if (/not in SLACK_ALLOWED_WORKSPACES/.test(text)) return { status: 403, message: NOT_ALLOWED };
  if (error.code === 'slack_oauth_invalid_state' || error.code === 'slack_oauth_missing_state')
    return {
      status: 400,
      message: 'This install link expired or was opened in another browser. Start again from /slack/install.',
    };
  if (/cancelled/.test(text))
    return { status: 400, message: 'The install was cancelled in Slack. Nothing was installed.' };
  return { status: 502, message: 'Slack did not complete the install. Nothing was installed; try again.' };
}

export function slackInstallHandlers(deps: SlackInstallRoutes) {
  const log = deps.logger.child({ component: 'slack-installs' });
  const callback: CallbackOptions = {
    afterInstallation: async (installation, _options, _req, res) => {
      if (await deps.admit(installation)) return true;
      const workspace = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
      log.warn(
        { code: 'PROOFUP_SLACK_INSTALL_REFUSED', workspace },
        'Slack install refused: not in SLACK_ALLOWED_WORKSPACES',
      );
      html(res, 403, refusalPage('Proofup was not installed', NOT_ALLOWED));
      return false;
    },
    success: (installation, _options, _req, res) => {
      const where = installation.isEnterpriseInstall ? installation.enterprise : installation.team;
      log.info(
        { code: 'PROOFUP_SLACK_INSTALLED', workspace: where?.id, orgWide: Boolean(installation.isEnterpriseInstall) },
        'Slack app installed',
      );
      html(
        res,
        200,
        donePage(
          'Proofup is installed',
          `Proofup is installed in ${where?.name ?? where?.id ?? 'your workspace'}${installation.isEnterpriseInstall ? ' (the whole organisation)' : ''}. People can now open it in Slack and say "change my MFA phone".`,
        ),
      );
    },
    failure: (error, _options, _req, res) => {
      const { status, message } = failure(error);
      log.warn({ code: 'PROOFUP_SLACK_INSTALL_FAILED', reason: error.code, status }, 'Slack app install refused');
      html(res, status, refusalPage('Proofup was not installed', message));
    },
  };
  return {
    start: (req: IncomingMessage, res: ServerResponse) => deps.installer.handleInstallPath(req, res),
    callback: (req: IncomingMessage, res: ServerResponse) => deps.installer.handleCallback(req, res, callback),
  };
}
