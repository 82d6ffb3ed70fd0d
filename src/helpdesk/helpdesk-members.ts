// Who is a helpdesk agent: a member of HELPDESK_GROUP_ID, as Graph says (cached briefly, failing closed).
import type { AuthMethodsClient } from '../graph/auth-methods-client.js';
import type { Logger } from '../logging.js';

const MEMBERSHIP_CACHE_MS = 5 * 60_000;

/**
 * Helpdesk agents: members of HELPDESK_GROUP_ID (transitive), asked of Graph at most every 5 minutes per person. Fails
 * closed: when Graph cannot say (down, permission missing), nobody is an agent.
 */
export class HelpdeskMembers {
  private readonly cache = new Map<string, { member: boolean; until: number }>();

  constructor(
    private readonly graph: Pick<AuthMethodsClient, 'isMemberOf'>,
    private readonly groupId: string | undefined,
    private readonly logger?: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async isAgent(oid: string | undefined): Promise<boolean> {
    if (!oid || !this.groupId) return false;
    const cached = this.cache.get(oid);
    if (cached && cached.until > this.now()) return cached.member;
    let member: boolean;
    try {
      member = await this.graph.isMemberOf(oid, this.groupId);
    } catch (err) {
      this.logger?.error({ err }, 'helpdesk membership could not be read');
      return false;
    }
    this.cache.set(oid, { member, until: this.now() + MEMBERSHIP_CACHE_MS });
    return member;
  }
}
