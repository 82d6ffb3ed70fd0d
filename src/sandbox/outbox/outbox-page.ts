import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml } from '../entra/html.js';
import type { Outbox } from './outbox.js';

const KINDS = { sms: 'SMS', email: 'E-mail', call: 'Call' } as const;

/** The sandbox outbox in a browser: every SMS, e-mail and call the bot "made", newest first (codes included). */
export async function serveOutbox(outbox: Outbox, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.url === '/messages.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(outbox.items));
      return;
    }
    const rows = [...outbox.items]
      .reverse()
      .map(
        (
          m,
        ) => `<tr><td>${escapeHtml(m.at.slice(11, 19))}</td><td>${KINDS[m.kind]}${m.kind === 'call' && m.locale ? ` (${escapeHtml(m.locale)})` : ''}</td><td>${escapeHtml(m.to)}</td>
<td>${m.kind === 'email' ? `<strong>${escapeHtml(m.subject)}</strong><br>` : ''}<pre>${escapeHtml(m.text)}</pre></td></tr>`,
      )
      .join('\n');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<title>Proofup sandbox outbox</title><style>body{font-family:system-ui,sans-serif;margin:24px}td{border-bottom:1px solid #ddd;padding:6px;vertical-align:top}pre{white-space:pre-wrap;margin:0;font-family:inherit}</style></head>
<body><h1>Sandbox outbox</h1><p>Every SMS, e-mail and call Proofup makes in the sandbox lands here instead of a phone or mailbox.
A call shows the words read aloud. Numbers ending in 0404 never answer, 0486 are busy, 0500 fail.</p>
<table><thead><tr><th>Time (UTC)</th><th>Kind</th><th>To</th><th>Message</th></tr></thead><tbody>${rows || '<tr><td colspan="4">Nothing sent yet.</td></tr>'}</tbody></table></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
