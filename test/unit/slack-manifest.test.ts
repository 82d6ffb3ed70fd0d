// The Slack app manifest (manifest/slack/manifest.yml): the fields Slack's manifest format requires, exactly the
// scopes the bot needs (each one used by a Web API method or event it handles, none more), events and interactivity
// on the one endpoint the bot serves, and the events the bot subscribes to are the ones it handles.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { CHANGE_SHORTCUT } from '../../src/channels/slack/slack-home.js';
import { BOT_SCOPES } from '../../src/channels/slack/slack-installs.js';
import { projectRoot } from '../../src/paths.js';

const root = projectRoot();
const manifest = parse(readFileSync(path.join(root, 'manifest/slack/manifest.yml'), 'utf8'));
const edge = readFileSync(path.join(root, 'src/channels/slack/slack-edge.ts'), 'utf8');
const bot = readFileSync(path.join(root, 'src/channels/slack/slack-bot.ts'), 'utf8');
const presenter = readFileSync(path.join(root, 'src/channels/slack/slack-presenter.ts'), 'utf8');
const campaigns = readFileSync(path.join(root, 'src/channels/slack/slack-campaign-presenter.ts'), 'utf8');

const url = z.string().regex(/^https:\/\/[^/]+\/api\/slack\/events$/);
// The manifest's documented fields (docs.slack.dev/reference/app-manifest), strict at every level: a misspelt key
// ("org_deploy_enable") fails here instead of being ignored. Slack publishes no JSON schema for it to vendor.
const schema = z
  .object({
    _metadata: z.object({ major_version: z.number(), minor_version: z.number() }).strict().optional(),
    display_information: z
      .object({
        name: z.string().min(1).max(35),
        description: z.string().max(140),
        long_description: z.string().min(175).max(4000),
        background_color: z.string().regex(/^#[0-9a-f]{6}$/i),
      })
      .strict(),
    features: z
      .object({
        app_home: z
          .object({
            home_tab_enabled: z.boolean(),
            messages_tab_enabled: z.literal(true),
            messages_tab_read_only_enabled: z.literal(false),
          })
          .strict(),
        bot_user: z.object({ display_name: z.string().min(1).max(80), always_online: z.boolean() }).strict(),
        shortcuts: z.array(
          z
            .object({
              name: z.string().min(1),
              type: z.enum(['global', 'message']),
              callback_id: z.string().min(1),
              description: z.string().min(1),
            })
            .strict(),
        ),
        slash_commands: z.array(
          z
            .object({
              command: z.string().regex(/^\/[a-z-]+$/),
              url,
              description: z.string().max(2000),
              usage_hint: z.string(),
              should_escape: z.boolean(),
            })
            .strict(),
        ),
      })
      .strict(),
    oauth_config: z
      .object({
        redirect_urls: z.tuple([
          z.string().regex(/^https:\/\/[^/]+\/auth\/slack\/callback$/),
          z.string().regex(/^https:\/\/[^/]+\/slack\/oauth_redirect$/),
        ]),
        scopes: z.object({ bot: z.array(z.string()), user: z.array(z.string()) }).strict(),
      })
      .strict(),
    settings: z
      .object({
        event_subscriptions: z.object({ request_url: url, bot_events: z.array(z.string()) }).strict(),
        interactivity: z.object({ is_enabled: z.literal(true), request_url: url }).strict(),
        org_deploy_enabled: z.boolean(),
        socket_mode_enabled: z.boolean(),
        token_rotation_enabled: z.boolean(),
      })
      .strict(),
  })
  .strict();

/** Which scope each thing the bot does needs (Slack's method and event docs). */
const NEEDS: [RegExp, string, string][] = [
  [/chat\.postMessage|chat\.update|chat\.postEphemeral/, presenter + bot, 'chat:write'],
  [/conversations\.open/, bot + edge, 'im:write'],
  [/users\.info/, bot, 'users:read'],
  [/app\.event\('message'/, edge, 'im:history'],
  [/app\.event\('app_mention'/, edge, 'app_mentions:read'],
  [/app\.command\(/, edge, 'commands'],
  [/app\.shortcut\(/, edge, 'commands'],
  [/conversations\.history/, campaigns, 'im:history'],
];

describe('Slack app manifest', () => {
  it('has the shape Slack requires (events, interactivity and /proofup on /api/slack/events)', () => {
    expect(schema.safeParse(manifest).error?.issues ?? []).toEqual([]);
  });

  it('asks exactly for the scopes the bot uses (users:read.email: the e-mail cross-check after a binding)', () => {
    const scopes = manifest.oauth_config.scopes.bot as string[];
    for (const [pattern, code, scope] of NEEDS) {
      expect(pattern.test(code), `the bot no longer does ${pattern}`).toBe(true);
      expect(scopes).toContain(scope);
    }
    expect([...scopes].sort()).toEqual(
      [
        'app_mentions:read',
        'chat:write',
        'commands',
        'im:history',
        'im:write',
        'users:read',
        'users:read.email',
      ].sort(),
    );
  });

  it("an OAuth install asks for the manifest's bot scopes, and an Enterprise Grid org can install it org-wide", () => {
    expect([...BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
    expect(manifest.settings.org_deploy_enabled).toBe(true);
  });

  it("Sign in with Slack: the user scopes of OpenID Connect and the bot's callback", () => {
    expect(manifest.oauth_config.scopes.user).toEqual(['openid', 'profile']);
    expect(readFileSync(path.join(root, 'src/identity/slack-identity.ts'), 'utf8')).toContain(
      "scope: 'openid profile'",
    );
  });

  it('subscribes to the events the bot handles, and nothing else', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([
      'message.im',
      'app_mention',
      'app_home_opened',
      'app_uninstalled',
      'tokens_revoked',
    ]);
    expect(edge).toContain("app.event('app_uninstalled'");
    expect(edge).toContain("app.event('tokens_revoked'");
    expect(edge).toContain("app.event('message'");
    expect(edge).toContain("m.channel_type !== 'im'");
    expect(edge).toContain("app.event('app_mention'");
    expect(edge).toContain("app.event('app_home_opened'");
  });

  it('the Home tab is on, and the global shortcut is the one the bot listens for (commands scope)', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ type: 'global', callback_id: CHANGE_SHORTCUT, name: 'Change my sign-in methods' }),
    ]);
    expect(edge).toContain('app.shortcut(CHANGE_SHORTCUT');
    expect(manifest.oauth_config.scopes.bot).toContain('commands');
  });
});
