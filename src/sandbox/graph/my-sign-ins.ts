// The sandbox's stand-in for Microsoft's My Sign-ins "Security info" page (https://aka.ms/mysecurityinfo), where a
// person adds a passkey themselves: one row per sandbox person with their methods and "Add a passkey" for a device.
// Adding one puts a fido2 method (new id, the device's name, now) into the simulated Graph, exactly what the real
// page leaves behind for Proofup's watch to find. Sandbox only: no WebAuthn ceremony, no sign-in.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SecurityInfo } from '../../graph/auth-methods.js';
import { DEMO_USERS } from '../entra/demo-directory.js';
import { escapeHtml } from '../entra/html.js';

export const MY_SIGN_INS_PATH = '/_sandbox/mysignins';

/** What a passkey made on each device is called in Security info (as the real page names them). */
const DEVICE_NAMES: Record<string, string> = {
  iphone: 'iPhone (iCloud Keychain)',
  android: 'Android (Google Password Manager)',
  windows: 'Windows Hello',
  mac: 'Mac (iCloud Keychain)',
  key: 'YubiKey 5 NFC',
  authenticator: 'Microsoft Authenticator',
};

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

/** Adds a passkey for `oid` as the real page would; resolves its name, or undefined for an unknown person. */
export function addPasskey(users: Map<string, SecurityInfo>, oid: string, device: string, now = Date.now()) {
  const info = users.get(oid);
  const name = DEVICE_NAMES[device];
  if (!info || !name) return undefined;
  const listed = [
    ...(info.listed ?? info.others.map((kind) => ({ kind }))),
    { kind: 'fido2' as const, id: randomUUID(), name, createdAt: now },
  ];
  const others = info.others.includes('fido2') ? info.others : [...info.others, 'fido2' as const];
  users.set(oid, { ...info, listed, others });
  return name;
}

/** Answers GET/POST on the page; false for any other path. */
export async function serveMySignIns(req: IncomingMessage, res: ServerResponse, users: Map<string, SecurityInfo>) {
  const url = new URL(req.url ?? '/', 'https://graph.local');
  if (url.pathname !== MY_SIGN_INS_PATH) return false;
  let said = '';
  if (req.method === 'POST') {
    const form = await readForm(req);
    const added = addPasskey(users, form.get('oid') ?? '', form.get('device') ?? '');
    said = added ? `Passkey “${added}” added.` : 'Unknown person or device.';
  }
  const rows = DEMO_USERS.map((u) => {
    const info = users.get(u.oid);
    const methods = (info?.listed ?? []).map((m) => `${m.kind}${m.name ? ` (${m.name})` : ''}`).join(', ') || '—';
    const options = Object.entries(DEVICE_NAMES)
      .map(([value, label]) => `<option value="${value}">${escapeHtml(label)}</option>`)
      .join('');
    return `<tr><th scope="row">${escapeHtml(u.name)}</th><td>${escapeHtml(methods)}</td><td>
<form method="post"><input type="hidden" name="oid" value="${u.oid}">
<label>Device <select name="device">${options}</select></label>
<button type="submit" aria-label="Add a passkey for ${escapeHtml(u.name)}">Add a passkey</button></form></td></tr>`;
  }).join('\n');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>My Sign-ins (sandbox)</title></head><body>
<h1>Security info — My Sign-ins (sandbox)</h1>
<p>No real Microsoft page: add a passkey as the person would, then go back to the chat.</p>
${said ? `<p role="status" id="said">${escapeHtml(said)}</p>` : ''}
<table><thead><tr><th>Person</th><th>Sign-in methods</th><th>Add</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`);
  return true;
}
