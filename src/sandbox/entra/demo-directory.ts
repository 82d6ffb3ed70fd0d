// The sandbox tenant and its people. The same object ids as the Agents Playground's mock users
// (.m365agentsplayground.yml), so a sandbox sign-in matches the chat it came from.
export { SANDBOX_CLIENT_ID, SANDBOX_TENANT_ID } from '../../config-model.js';

export interface DemoUser {
  oid: string;
  upn: string;
  name: string;
}

export const DEMO_USERS: DemoUser[] = [
  { oid: '0a1e0000-0000-4000-8000-000000000020', upn: 'alexw@contoso.test', name: 'Alex Wilber' },
  { oid: '0a1e0000-0000-4000-8000-000000000021', upn: 'meganb@contoso.test', name: 'Megan Bowen' },
  { oid: '0a1e0000-0000-4000-8000-000000000022', upn: 'adelev@contoso.test', name: 'Adele Vance' },
  { oid: '0a1e0000-0000-4000-8000-000000000023', upn: 'isaiahl@contoso.test', name: 'Isaiah Langer' },
  { oid: '0a1e0000-0000-4000-8000-000000000024', upn: 'pattif@contoso.test', name: 'Patti Fernandez' },
];

/** The id of a person's 1:1 chat with the bot: the Playground's personal chat when it plays that person. */
export function sandboxPersonalChatId(oid: string): string {
  const person = DEMO_USERS.find((u) => u.oid === oid);
  return `personal-chat-${(person?.name.split(' ')[0] ?? oid).toLowerCase()}`;
}
