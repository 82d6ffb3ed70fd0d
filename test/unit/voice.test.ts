// The pure parts of code calls: the sealed call context, what is said, and how ACS failures map to outcomes.
import { describe, expect, it } from 'vitest';
import { CALL_CONTEXT_LIFETIME_MS, CallContextSealer } from '../../src/voice/call-context.js';
import { callText, dtmfOf, outcomeOfFailure, spokenDigits } from '../../src/voice/code-caller.js';

const context = {
  chat: { channelId: 'msteams', userId: '29:alex', conversationId: 'a:1' },
  sends: 2,
  code: '481523',
  lang: 'de' as const,
  to: '+442079460001',
  extension: '204',
  ref: 'Zm9vYmFyLWNhbGwtcmVmMQ',
};

describe('sealed call context', () => {
  it('opens what it sealed, and nothing else: altered, foreign key, garbage, expired', () => {
    let now = 1_800_000_000_000;
    const sealer = new CallContextSealer('deployment-secret-0123456789abcdef0123456789', () => now);
    const sealed = sealer.seal(context);
    expect(sealed).not.toContain('481523');
    expect(sealer.open(sealed)).toMatchObject(context);
    const flipped = `${sealed.slice(0, 40)}${sealed[40] === 'A' ? 'B' : 'A'}${sealed.slice(41)}`;
    expect(sealer.open(flipped)).toBeUndefined();
    expect(new CallContextSealer('another-secret-0123456789abcdef0123456789', () => now).open(sealed)).toBeUndefined();
    expect(sealer.open('not-a-context')).toBeUndefined();
    expect(sealer.open('')).toBeUndefined();
    now += CALL_CONTEXT_LIFETIME_MS + 1;
    expect(sealer.open(sealed)).toBeUndefined();
  });
});

describe('what a call says and does', () => {
  it('reads the digits one by one, twice, in the language of the conversation', () => {
    expect(spokenDigits('481523')).toBe('4, 8, 1, 5, 2, 3');
    expect(callText('481523', 'en').match(/4, 8, 1, 5, 2, 3/g)).toHaveLength(2);
    expect(callText('481523', 'fr')).toMatch(/^Bonjour\. Ici Proofup/);
    expect(callText('481523', 'es')).toMatch(/Tu código es: 4, 8, 1, 5, 2, 3\. Repito/);
  });

  it('dials an extension as DTMF tones', () => {
    expect(dtmfOf('204')).toEqual(['two', 'zero', 'four']);
  });

  it('maps a failed call set-up to what the user is told', () => {
    expect(outcomeOfFailure(486)).toBe('busy');
    expect(outcomeOfFailure(408)).toBe('no-answer');
    expect(outcomeOfFailure(480)).toBe('no-answer');
    expect(outcomeOfFailure(500)).toBe('failed');
    expect(outcomeOfFailure(undefined)).toBe('failed');
  });
});
