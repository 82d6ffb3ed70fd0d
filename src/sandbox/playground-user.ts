// Who the Agents Playground chats as. The Playground 0.2.28 has no user menu: it plays the `currentUser` of its
// config file. To play another sandbox person (an agent hands off to Adele; Adele answers), the sandbox writes a copy
// of .m365agentsplayground.yml with that person as `currentUser` and their own 1:1 chat id (the one the simulated
// Graph gives for their installation), and starts a Playground with it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { AppError, ErrorCodes } from '../errors.js';
import { DEMO_USERS, sandboxPersonalChatId } from './entra/demo-directory.js';

/** First names (lower case) of the people the Playground can play. */
export const PLAYGROUND_USERS = DEMO_USERS.map((u) => (u.name.split(' ')[0] as string).toLowerCase()) as [
  string,
  ...string[],
];

interface MockUser {
  id: string;
  name: string;
  aadObjectId: string;
  [more: string]: unknown;
}

/** The config file for `user` ("adele"): the base file itself for its own current user, else a copy in `dataDir`. */
export function playgroundConfigFor(user: string, baseFile: string, dataDir: string): string {
  const person = DEMO_USERS.find((u) => u.name.toLowerCase().startsWith(`${user.toLowerCase()} `));
  if (!person)
    throw new AppError(
      ErrorCodes.SANDBOX_START_FAILED,
      `PLAYGROUND_USER must be one of ${PLAYGROUND_USERS.join(', ')} (got "${user}")`,
    );
  const doc = parseDocument(readFileSync(baseFile, 'utf8'));
  const current = doc.get('currentUser', false) as { toJSON(): MockUser };
  const users = (doc.get('users', false) as { toJSON(): MockUser[] }).toJSON();
  const me = current.toJSON();
  if (me.aadObjectId === person.oid) return baseFile;
  const them = users.find((u) => u.aadObjectId === person.oid);
  if (!them) throw new AppError(ErrorCodes.SANDBOX_START_FAILED, `${baseFile} has no user ${person.name}`);
  doc.set('currentUser', them);
  doc.set(
    'users',
    users.map((u) => (u.aadObjectId === person.oid ? me : u)),
  );
  doc.setIn(['personalChat', 'id'], sandboxPersonalChatId(person.oid));
  const file = path.join(dataDir, `playground-${user.toLowerCase()}.yml`);
  writeFileSync(file, doc.toString());
  return file;
}
