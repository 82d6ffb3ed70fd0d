import { describe, expect, it } from 'vitest';
import { ConfigError, chooseProfile, loadConfig } from '../../src/config.js';

const GUID = '5f2d0d4e-3c8b-4a8e-9c1d-2b7a6e0f1a01';
const TENANT = '7a1b2c3d-0000-4000-8000-00000000c0de';
const production = {
  PROOFUP_PROFILE: 'production',
  MicrosoftAppId: GUID,
  MicrosoftAppPassword: 's3cret',
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: TENANT,
  ENTRA_TENANT_ID: TENANT,
  PUBLIC_BASE_URL: 'https://proofup.contoso.com/',
  STEP_UP_AUTH_CONTEXT: 'c1',
  ACS_CONNECTION_STRING: 'endpoint=https://proofup.communication.azure.com/;accesskey=a2V5',
  SMS_FROM: '+18005550100',
  EMAIL_FROM: 'proofup@contoso.com',
  PHONE_HASH_KEY: 'test-phone-hash-key-0123456789abcdef0123456789',
  ACS_CALL_FROM: '+18005550111',
  ACS_RESOURCE_ID: 'ac5ac5ac-0000-4000-8000-00000000ca11',
  ACS_COGNITIVE_SERVICES_ENDPOINT: 'https://proofup-speech.cognitiveservices.azure.com/',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('profile choice', () => {
  it.each([
    [{}, 'sandbox'],
    [{ ENTRA_TENANT_ID: TENANT }, 'production'],
    [{ MicrosoftAppId: GUID }, 'production'],
    [{ NODE_ENV: 'production' }, 'production'],
    [{ PROOFUP_PROFILE: 'sandbox', ENTRA_TENANT_ID: TENANT }, 'sandbox'],
    [{ PROOFUP_PROFILE: 'production' }, 'production'],
  ] as [Record<string, string>, string][])('%j -> %s', (env, profile) => {
    expect(chooseProfile(env)).toBe(profile);
  });

  it('refuses an unknown profile name', () => {
    expect(() => chooseProfile({ PROOFUP_PROFILE: 'prod' })).toThrow(/PROOFUP_PROFILE must be/);
  });
});

describe('sandbox config', () => {
  it('binds loopback whatever HOST says and defaults to port 3978 and SQLite under ./data', () => {
    const config = loadConfig({ HOST: '0.0.0.0' });
    expect(config).toMatchObject({ profile: 'sandbox', host: '127.0.0.1', port: 3978, storage: { kind: 'sqlite' } });
    expect(config.storage.kind === 'sqlite' && config.storage.path).toMatch(/data\/proofup\.db$/);
  });
});

describe('production config', () => {
  it('accepts a complete configuration and normalises URLs', () => {
    const config = loadConfig(production);
    expect(config.profile).toBe('production');
    if (config.profile !== 'production') return;
    expect(config.host).toBe('0.0.0.0');
    expect(config.stepUp).toMatchObject({
      clientId: GUID,
      clientSecret: 's3cret',
      publicBaseUrl: 'https://proofup.contoso.com',
    });
    expect(config.bot.frameworkSettings.ToBotFromChannelTokenIssuer).toBeUndefined();
  });

  it.each([
    'ToBotFromChannelOpenIdMetadataUrl',
    'ToBotFromEmulatorOpenIdMetadataUrl',
    'ToChannelFromBotLoginUrl',
    'OAuthUrl',
  ])('%s over plain http:// is refused in production (keys over HTTP would let anyone forge activities)', (name) => {
    const overrides = {
      ToBotFromChannelOpenIdMetadataUrl: 'https://login.contoso.test/v1/.well-known/openidconfiguration',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.contoso.test/v2.0/.well-known/openid-configuration',
      ToChannelFromBotLoginUrl: 'https://login.contoso.test/botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      OAuthUrl: 'https://token.contoso.test',
      CallerId: 'urn:botframework:azure',
    };
    const plain = { ...overrides, [name]: 'http://127.0.0.1:9999/keys' };
    expect(problems({ ...production, ...overrides })).toEqual([]);
    expect(problems({ ...production, ...plain })).toEqual([
      expect.stringMatching(new RegExp(`^${name} must be an https:// URL`)),
    ]);
    // Only code can allow loopback http (a local test issuer); nothing in the environment can.
    expect(() => loadConfig({ ...production, ...plain }, { loopbackChannelForTests: true })).not.toThrow();
    expect(() =>
      loadConfig({ ...production, ...plain, [name]: 'http://issuer.example/keys' }, { loopbackChannelForTests: true }),
    ).toThrow(/must be an https:\/\/ URL/);
  });

  it('names every missing variable at once', () => {
    expect(problems({ PROOFUP_PROFILE: 'production' })).toEqual([
      'ACS_CONNECTION_STRING is required',
      'EMAIL_FROM is required',
      'ENTRA_TENANT_ID is required',
      'MicrosoftAppId is required',
      'MicrosoftAppPassword is required',
      'MicrosoftAppType is required',
      'OFFICE_PHONE_POLICY=verify-by-call (the default) proves office phones by a call: set ACS_CALL_FROM, ACS_RESOURCE_ID and ACS_COGNITIVE_SERVICES_ENDPOINT, or set OFFICE_PHONE_POLICY=directory',
      'PHONE_HASH_KEY is required',
      'PUBLIC_BASE_URL is required',
      'SMS_FROM is required',
      'STEP_UP_AUTH_CONTEXT is required',
    ]);
  });

  it('Slack: on with the signing secret and bot token; Sign in with Slack needs its client id and secret together', () => {
    expect(loadConfig(production).slack).toBeUndefined();
    const slack = { SLACK_SIGNING_SECRET: 's'.repeat(32), SLACK_BOT_TOKEN: 'xoxb-1-2-abc' };
    expect(loadConfig({ ...production, ...slack }).slack).toEqual({
      signingSecret: 's'.repeat(32),
      botToken: 'xoxb-1-2-abc',
      apiUrl: 'https://slack.com/api/',
      apiTimeoutMs: 10_000,
      simulated: false,
    });
    expect(
      loadConfig({ ...production, ...slack, SLACK_CLIENT_ID: '123.456', SLACK_CLIENT_SECRET: 'cs' }).slack?.signIn,
    ).toEqual({ clientId: '123.456', clientSecret: 'cs', baseUrl: 'https://slack.com' });
    expect(problems({ ...production, SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toEqual([
      'SLACK_SIGNING_SECRET is required when SLACK_BOT_TOKEN is set (Slack needs both)',
    ]);
    expect(problems({ ...production, ...slack, SLACK_CLIENT_ID: '123.456' })).toEqual([
      'SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together (Sign in with Slack, which binds Slack users to Entra)',
    ]);
    expect(
      problems({ ...production, SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 's'.repeat(32) }),
    ).toEqual(['SLACK_BOT_TOKEN must be a bot token (xoxb-…) (value hidden)']);
  });

  it('Slack OAuth installs: the whole set is needed, named one by one; they exclude SLACK_BOT_TOKEN', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const installs = {
      SLACK_SIGNING_SECRET: 's'.repeat(32),
      SLACK_STATE_SECRET: 'x'.repeat(40),
      SLACK_TOKEN_KEY: key,
      SLACK_ALLOWED_WORKSPACES: 'T0ACME, E0GRID',
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'cs',
    };
    const slack = loadConfig({ ...production, ...installs }).slack;
    expect(slack?.botToken).toBeUndefined();
    expect(slack?.installs).toMatchObject({
      clientId: '123.456',
      allowed: new Set(['T0ACME', 'E0GRID']),
      authorizeUrl: 'https://slack.com/oauth/v2/authorize',
    });
    expect(slack?.installs?.tokenKey.length).toBe(32);
    expect(
      problems({ ...production, SLACK_SIGNING_SECRET: 's'.repeat(32), SLACK_STATE_SECRET: 'x'.repeat(40) }).sort(),
    ).toEqual(
      [
        'SLACK_TOKEN_KEY is required with SLACK_STATE_SECRET (the key the installed tokens are encrypted with)',
        'SLACK_ALLOWED_WORKSPACES is required with SLACK_STATE_SECRET (the workspaces and Grid orgs that may install the app)',
        "SLACK_CLIENT_ID is required with SLACK_STATE_SECRET (the app's client id, which the OAuth install exchanges its code with)",
      ].sort(),
    );
    expect(problems({ ...production, ...installs, SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })[0]).toMatch(
      /SLACK_BOT_TOKEN and SLACK_STATE_SECRET exclude each other/,
    );
    expect(problems({ ...production, ...installs, SLACK_HELPDESK_CHANNEL: 'C0HELP' })).toEqual([
      'SLACK_HELPDESK_WORKSPACE is required with SLACK_HELPDESK_CHANNEL and SLACK_STATE_SECRET (which installation posts in that channel)',
    ]);
    expect(
      problems({ ...production, ...installs, SLACK_TOKEN_KEY: 'short', SLACK_ALLOWED_WORKSPACES: 'acme' }),
    ).toEqual([
      'SLACK_ALLOWED_WORKSPACES must be a comma-separated list of workspace (T…) and Enterprise Grid org (E…) ids (got "acme")',
      'SLACK_TOKEN_KEY must be 32 random bytes in base64 (openssl rand -base64 32) (value hidden)',
    ]);
  });

  it('helpdesk: group, channel and ticket systems; half a ticket system is refused by name', () => {
    const config = loadConfig({
      ...production,
      HELPDESK_GROUP_ID: '4e1bde5c-0000-4000-8000-0000000011e1',
      HELPDESK_CHANNEL: '19:abc@thread.tacv2',
      ITSM_WEBHOOK_URL: 'https://itsm.contoso.com/hooks/proofup',
      ITSM_WEBHOOK_SECRET: 'x'.repeat(40),
      SERVICENOW_INSTANCE_URL: 'https://contoso.service-now.com',
      SERVICENOW_USER: 'proofup.integration',
      SERVICENOW_PASSWORD: 'sn',
      TEAMS_APP_CATALOG_ID: 'a9900000-0000-4000-8000-00000000a990',
      HELPDESK_AUTH_CONTEXT: 'c7',
      TAP_REQUIRES_SECOND_AGENT: 'true',
      TAP_LIFETIME_MINUTES: '120',
      HELPDESK_VERIFICATION: 'Step-Up, attestation',
      HELPDESK_TIME_ZONE: 'Europe/Berlin',
      REMINDERS_PER_MINUTE: '30',
    });
    expect(config.helpdesk).toEqual({
      lang: 'en',
      timeZone: 'Europe/Berlin',
      remindersPerMinute: 30,
      groupId: '4e1bde5c-0000-4000-8000-0000000011e1',
      channelId: '19:abc@thread.tacv2',
      webhook: { url: 'https://itsm.contoso.com/hooks/proofup', secret: 'x'.repeat(40) },
      serviceNow: { instanceUrl: 'https://contoso.service-now.com', user: 'proofup.integration', password: 'sn' },
      teamsAppId: 'a9900000-0000-4000-8000-00000000a990',
      authContext: 'c7',
      tap: { secondAgent: true, lifetimeMinutes: 120, verification: ['step-up', 'attestation'] },
    });
    // Without them: no handoffs, no passes; a pass lives 60 minutes, needs one agent and the person's own step-up.
    expect(loadConfig(production).helpdesk).toEqual({
      lang: 'en',
      timeZone: 'UTC',
      remindersPerMinute: 60,
      tap: { secondAgent: false, lifetimeMinutes: 60, verification: ['step-up'] },
    });
    expect(problems({ ...production, HELPDESK_TIME_ZONE: 'Mars/Olympus' })).toEqual([
      'HELPDESK_TIME_ZONE must be an IANA time zone such as Europe/Berlin or America/New_York (got "Mars/Olympus")',
    ]);
    expect(problems({ ...production, HELPDESK_VERIFICATION: 'step-up,trust-me' })).toEqual([
      'HELPDESK_VERIFICATION must be a comma-separated list of: step-up, verified-id, manager, attestation (got "step-up,trust-me")',
    ]);
    expect(problems({ ...production, HELPDESK_AUTH_CONTEXT: production.STEP_UP_AUTH_CONTEXT })).toEqual([
      'HELPDESK_AUTH_CONTEXT must differ from STEP_UP_AUTH_CONTEXT (Temporary Access Passes need a stronger sign-in)',
    ]);
    expect(problems({ ...production, TAP_LIFETIME_MINUTES: '5' })).toEqual([
      'TAP_LIFETIME_MINUTES must be at least 10 (Entra allows 10 to 43200 minutes) (got "5")',
    ]);
    expect(loadConfig({ ...production, HELPDESK_LANGUAGE: 'de' }).helpdesk.lang).toBe('de');
    expect(problems({ ...production, ITSM_WEBHOOK_URL: 'https://itsm.contoso.com/x' })).toEqual([
      'ITSM_WEBHOOK_SECRET is required when ITSM_WEBHOOK_URL is set (the requests are signed)',
    ]);
    expect(problems({ ...production, SERVICENOW_INSTANCE_URL: 'https://contoso.service-now.com' })).toEqual([
      'SERVICENOW_PASSWORD is required when any SERVICENOW_* variable is set',
      'SERVICENOW_USER is required when any SERVICENOW_* variable is set',
    ]);
    expect(
      problems({ ...production, ITSM_WEBHOOK_URL: 'http://itsm.contoso.com/x', ITSM_WEBHOOK_SECRET: 'y'.repeat(40) }),
    ).toEqual(['ITSM_WEBHOOK_URL must be an https:// URL (tickets carry who asked for help and why)']);
    expect(problems({ ...production, HELPDESK_GROUP_ID: 'helpdesk', HELPDESK_CHANNEL: '19:abc@thread.tacv2' })).toEqual(
      [expect.stringMatching(/^HELPDESK_GROUP_ID must be a GUID/)],
    );
    // Production never guesses the helpdesk channel: with a helpdesk group it must be named.
    expect(problems({ ...production, HELPDESK_GROUP_ID: '4e1bde5c-0000-4000-8000-0000000011e1' })).toEqual([
      expect.stringMatching(/^HELPDESK_CHANNEL is required when HELPDESK_GROUP_ID is set/),
    ]);
    expect(loadConfig({ ...production }).helpdesk).not.toHaveProperty('firstChannelIsHelpdesk');
    expect(loadConfig({}).helpdesk.firstChannelIsHelpdesk).toBe(true);
    expect(loadConfig({ HELPDESK_CHANNEL: '19:abc@thread.tacv2' }).helpdesk).not.toHaveProperty(
      'firstChannelIsHelpdesk',
    );
  });

  it('calls: configured from ACS_CALL_FROM; the office phone policy needs them unless it is directory or any', () => {
    const config = loadConfig(production);
    expect(config.officePhonePolicy).toBe('verify-by-call');
    expect(config.calls).toMatchObject({
      from: '+18005550111',
      resourceId: 'ac5ac5ac-0000-4000-8000-00000000ca11',
      eventsUrl: 'https://proofup.contoso.com/api/calls/events',
      openIdConfigUrl: 'https://acscallautomation.communication.azure.com/calling/.well-known/acsopenidconfiguration',
    });
    const noCalls = { ...production, ACS_CALL_FROM: '', ACS_RESOURCE_ID: '', ACS_COGNITIVE_SERVICES_ENDPOINT: '' };
    expect(problems(noCalls)).toEqual([expect.stringMatching(/^OFFICE_PHONE_POLICY=verify-by-call \(the default\)/)]);
    expect(problems({ ...noCalls, OFFICE_PHONE_POLICY: 'directory' })).toEqual([]);
    expect(loadConfig({ ...noCalls, OFFICE_PHONE_POLICY: 'any' }).calls).toBeUndefined();
    expect(problems({ ...production, ACS_RESOURCE_ID: '' })).toEqual([
      'ACS_RESOURCE_ID is required when ACS_CALL_FROM is set (calls that read a code aloud)',
    ]);
    expect(problems({ ...production, ACS_CALL_FROM: '4255550111' })).toEqual([
      'ACS_CALL_FROM must be an E.164 phone number such as +14255550100 (got "4255550111")',
    ]);
    expect(problems({ ...production, OFFICE_PHONE_POLICY: 'sometimes' })).toEqual([
      expect.stringMatching(/^OFFICE_PHONE_POLICY /),
    ]);
  });

  it.each([
    [
      { MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: '' },
      'MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant',
    ],
    [{ PUBLIC_BASE_URL: 'http://proofup.contoso.com' }, 'PUBLIC_BASE_URL must be an https:// URL'],
    [{ STEP_UP_AUTH_CONTEXT: 'c100' }, 'STEP_UP_AUTH_CONTEXT must be an auth context id c1..c99'],
    [
      { PHONE_HASH_KEY: 'short' },
      'PHONE_HASH_KEY must be at least 32 characters (e.g. openssl rand -base64 48) (value hidden)',
    ],
    [
      { SMS_ALLOWED_COUNTRIES: 'US,XX' },
      'SMS_ALLOWED_COUNTRIES must be "tenant", "*" or ISO 3166 country codes separated by commas (e.g. "US,CA,GB") (got "US,XX")',
    ],
    [{ SHARED_NUMBER_POLICY: 'maybe' }, 'SHARED_NUMBER_POLICY must be one of "refuse"|"warn"|"allow" (got "maybe")'],
    [{ PORT: '99999' }, 'PORT must be at most 65535'],
    [{ STORAGE: 'blob' }, 'BLOB_CONNECTION_STRING is required when STORAGE=blob'],
    [
      { ENTRA_CLIENT_ID: '9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e' },
      'ENTRA_CLIENT_SECRET or ENTRA_CLIENT_CERTIFICATE_PATH is required when ENTRA_CLIENT_ID differs',
    ],
    [
      { ToBotFromChannelTokenIssuer: 'https://issuer' },
      'CallerId is required when any channel-endpoint override is set',
    ],
  ])('%j -> "%s"', (override, expected) => {
    expect(problems({ ...production, ...override }).join('\n')).toContain(expected);
  });

  it('never echoes a secret in an error', () => {
    const out = problems({
      ...production,
      MicrosoftAppId: 'x',
      BLOB_CONNECTION_STRING: '',
      MicrosoftAppPassword: 'topsecret',
    });
    expect(out.join('\n')).not.toContain('topsecret');
  });

  it('a user-assigned managed identity needs no password', () => {
    expect(
      problems({
        ...production,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppPassword: '',
        ENTRA_CLIENT_SECRET: 'x',
      }),
    ).toEqual([]);
  });
});
