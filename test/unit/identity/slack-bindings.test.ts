// Who a Slack user is: one Entra account per Slack user and back, found the same way however the tenant id is spelled.
import { describe, expect, it } from 'vitest';
import { SlackBindings } from '../../../src/identity/slack-bindings.js';
import { SqliteStorage } from '../../../src/storage/sqlite-storage.js';

const TID = '7c3e0000-0000-4000-8000-0000000000aa';
const OID = '0a1e0000-0000-4000-8000-000000000024';

describe('Slack bindings', () => {
  it('finds the Slack user of an Entra account whether the tenant id comes in lower or upper case', async () => {
    const bindings = new SlackBindings(new SqliteStorage(':memory:'));
    expect(await bindings.bind({ team: 'T1', user: 'UPATTI' }, { tid: TID, oid: OID })).toBe('bound');
    expect(await bindings.ownerOf({ tid: TID.toUpperCase(), oid: OID.toUpperCase() })).toEqual({
      team: 'T1',
      user: 'UPATTI',
    });
    // The same account is not bound to a second Slack user, however it is spelled.
    expect(await bindings.bind({ team: 'T1', user: 'UOTHER' }, { tid: TID.toUpperCase(), oid: OID })).toBe('taken');
  });
});
