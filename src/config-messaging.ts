// The messaging wing of the configuration (production): Azure Communication Services for SMS (codes, notices to old
// numbers), e-mail (change notices) and calls that read a code aloud (Call Automation) — the variables, their schema
// and messages, how they become the configuration, and the rule that spans them.
import { z } from 'zod';
import { guid, httpsUrl } from './config-fields.js';
import { type BaseConfig, validAcsConnectionString } from './config-model.js';

type Env = Record<string, string | undefined>;

const nonEmpty = z.string().trim().min(1, 'is required');

export const MESSAGING_VARS = {
  // Azure Communication Services: SMS (codes, notices to old numbers) and e-mail (change notices).
  ACS_CONNECTION_STRING: nonEmpty.refine(
    validAcsConnectionString,
    'must be an ACS connection string (endpoint=https://<resource>.communication.azure.com/;accesskey=…), the endpoint without a path',
  ),
  SMS_FROM: nonEmpty,
  EMAIL_FROM: z.string().trim().email('must be an e-mail address'),
  // Calls that read a code aloud (ACS Call Automation): the number they come from, the resource's immutable id (the
  // audience of its signed webhook events) and the Azure AI services endpoint connected to it (text-to-speech).
  ACS_CALL_FROM: z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +14255550100')
    .optional(),
  ACS_RESOURCE_ID: guid.optional(),
  ACS_COGNITIVE_SERVICES_ENDPOINT: httpsUrl.optional(),
};

type MessagingEnv = {
  ACS_CONNECTION_STRING: string;
  SMS_FROM: string;
  EMAIL_FROM: string;
  ACS_CALL_FROM?: string | undefined;
  ACS_RESOURCE_ID?: string | undefined;
  ACS_COGNITIVE_SERVICES_ENDPOINT?: string | undefined;
};

export function messagingFrom(
  e: MessagingEnv,
  publicBaseUrl: string,
  callsOpenIdUrl: string,
): Pick<BaseConfig, 'calls'> & { acs: { connectionString: string; smsFrom: string; emailFrom: string } } {
  return {
    acs: { connectionString: e.ACS_CONNECTION_STRING, smsFrom: e.SMS_FROM, emailFrom: e.EMAIL_FROM },
    ...(e.ACS_CALL_FROM
      ? {
          calls: {
            connectionString: e.ACS_CONNECTION_STRING,
            from: e.ACS_CALL_FROM,
            resourceId: e.ACS_RESOURCE_ID as string,
            openIdConfigUrl: callsOpenIdUrl,
            eventsUrl: `${publicBaseUrl.replace(/\/+$/, '')}/api/calls/events`,
            ...(e.ACS_COGNITIVE_SERVICES_ENDPOINT
              ? { cognitiveServicesEndpoint: e.ACS_COGNITIVE_SERVICES_ENDPOINT }
              : {}),
          },
        }
      : {}),
  };
}

/** Calls need their three settings; the default office phone policy needs calls (or an explicit other policy). */
export function callProblems(env: Env): string[] {
  if (env.ACS_CALL_FROM)
    return ['ACS_RESOURCE_ID', 'ACS_COGNITIVE_SERVICES_ENDPOINT']
      .filter((name) => !env[name])
      .map((name) => `${name} is required when ACS_CALL_FROM is set (calls that read a code aloud)`);
  if ((env.OFFICE_PHONE_POLICY ?? 'verify-by-call') !== 'verify-by-call') return [];
  return [
    'OFFICE_PHONE_POLICY=verify-by-call (the default) proves office phones by a call: set ACS_CALL_FROM, ACS_RESOURCE_ID and ACS_COGNITIVE_SERVICES_ENDPOINT, or set OFFICE_PHONE_POLICY=directory',
  ];
}
