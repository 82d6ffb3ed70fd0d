// A change whose notice (e-mail, or SMS to the replaced number) could not be delivered — refused for good, or still
// failing when DELIVERY_RETRY_HOURS ran out — is raised with the helpdesk: the person must hear about a change made
// to their sign-in methods, and a person is the channel left. One escalation per flow and notice (a stable id), so a
// redelivered event opens no second ticket.
import type { Logger } from '../logging.js';
import type { FlowEventListener } from '../runner/flow-presenter.js';
import type { EscalationService } from './escalations.js';
import type { HelpdeskGraph } from './helpdesk-graph.js';

export function undeliveredNoticeListener(deps: {
  escalations: Pick<EscalationService, 'escalate'>;
  graph: Pick<HelpdeskGraph, 'person'>;
  logger: Logger;
}): FlowEventListener {
  return async (event) => {
    if (event.name !== 'notice-undelivered') return;
    const person = await deps.graph.person(event.oid).catch(() => undefined);
    const escalation = await deps.escalations.escalate({
      reason: 'undelivered-notice',
      requester: { oid: event.oid, name: person?.name ?? event.oid, ...(person?.upn ? { upn: person.upn } : {}) },
      channel: event.channel,
      details: { notice: event.detail ?? '', changeId: event.flowId },
      delivery: `notice-undelivered ${event.flowId} ${event.detail ?? ''}`,
    });
    deps.logger.warn(
      { code: 'PROOFUP_NOTICE_UNDELIVERED', flowId: event.flowId, notice: event.detail, escalationId: escalation.id },
      'a change notice could not be delivered: raised with the helpdesk',
    );
  };
}
