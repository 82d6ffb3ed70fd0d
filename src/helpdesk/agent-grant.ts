// An agent's own sign-in for a helpdesk action, the same rule in Teams and in Slack.
import type { Grant } from '../identity/step-up-service.js';

/** A live grant of THIS sender, made for a helpdesk action (and carrying `authContext` when one is required). */
export function isHelpdeskGrant(
  senderOid: string | undefined,
  grant: Grant | undefined,
  authContext?: string,
): grant is Grant {
  return Boolean(
    grant &&
      grant.role === 'helpdesk' &&
      senderOid &&
      grant.oid.toLowerCase() === senderOid.toLowerCase() &&
      (!authContext || grant.acrs.includes(authContext)),
  );
}
