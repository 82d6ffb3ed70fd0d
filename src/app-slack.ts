// Wiring of Slack (app.ts stays the one place that builds the product): Bolt's edge, the Block Kit presenter of the
// change flow, the Slack bot and the helpdesk's Slack side. Slack's presenters exist only once the Web API client does,
// so they are filled into `side`, which the shared services read lazily.
import { SlackBot, type SlackBotDeps } from './channels/slack/slack-bot.js';
import { createSlackEdge, type SlackEdge } from './channels/slack/slack-edge.js';
import { SlackHelpdesk, type SlackHelpdeskDeps } from './channels/slack/slack-helpdesk.js';
import { slackHelpdeskSide } from './channels/slack/slack-helpdesk-views.js';
import { SlackPresenter } from './channels/slack/slack-presenter.js';
import type { Config } from './config.js';
import type { SlackBindings } from './identity/slack-bindings.js';
import type { DeliveryDedupe } from './storage/dedupe.js';
import type { ProofupStorage } from './storage/store.js';

export interface SlackSide {
  presenter?: SlackPresenter;
  bot?: SlackBot;
  helpdesk?: ReturnType<typeof slackHelpdeskSide>;
}

export async function startSlack(
  config: Pick<Config, 'slack' | 'helpdesk' | 'stepUp' | 'helpdeskContact'>,
  side: SlackSide,
  deps: Omit<SlackBotDeps, 'client' | 'helpdesk' | 'workspaces'> &
    Omit<SlackHelpdeskDeps, 'client' | 'bindings'> & {
      dedupe: DeliveryDedupe;
      bindings: SlackBindings;
      storage: ProofupStorage;
    },
): Promise<SlackEdge | undefined> {
  if (!config.slack) return undefined;
  const { logger } = deps;
  const slack = createSlackEdge(config.slack, {
    logger,
    dedupe: deps.dedupe,
    storage: deps.storage,
    publicBaseUrl: config.stepUp.publicBaseUrl,
    bot: (client, workspaces) => {
      side.presenter = new SlackPresenter(client, workspaces);
      side.helpdesk = slackHelpdeskSide(client, config, deps.bindings);
      side.bot = new SlackBot({
        ...deps,
        client,
        workspaces,
        helpdesk: (signIn) => new SlackHelpdesk({ ...deps, client }, signIn),
      });
      return side.bot;
    },
  });
  await slack.start();
  logger.info(
    {
      mode: config.slack.appToken ? 'socket' : 'http',
      api: config.slack.apiUrl,
      tokens: config.slack.installs ? 'oauth-installs' : 'SLACK_BOT_TOKEN',
    },
    'Slack is on',
  );
  return slack;
}
