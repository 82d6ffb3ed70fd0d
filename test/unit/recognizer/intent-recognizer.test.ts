import { describe, expect, it } from 'vitest';
import { type ActionSlot, type PhoneSlot, recognize } from '../../../src/recognizer/intent-recognizer.js';
import type { Language } from '../../../src/recognizer/lexicon.js';

type Positive = [text: string, phone: PhoneSlot | undefined, action: ActionSlot, language: Language];

const positives: Positive[] = [
  // English, plain
  ['change my MFA phone', undefined, 'change', 'en'],
  ['I need to update my MFA phone number', undefined, 'change', 'en'],
  ['new phone number for sign-in', undefined, 'change', 'en'],
  ['update my 2FA', undefined, 'change', 'en'],
  ['change my two-factor number', undefined, 'change', 'en'],
  ['switch my verification phone to my new mobile', 'mobile', 'change', 'en'],
  ['update security info', undefined, 'change', 'en'],
  ['change my authenticator number', undefined, 'change', 'en'],
  ['I got a new cell phone, update my MFA', 'mobile', 'change', 'en'],
  ['replace the mobile number used for multi-factor authentication', 'mobile', 'change', 'en'],
  ['change my alternate phone', 'alternate', 'change', 'en'],
  ['add a backup phone for 2fa', 'alternate', 'add', 'en'],
  ['add my office phone with extension', 'office', 'add', 'en'],
  ['remove my office phone from MFA', 'office', 'remove', 'en'],
  ['delete the alternate mobile number', 'alternate', 'remove', 'en'],
  ['change my default sign-in method', undefined, 'setDefault', 'en'],
  ['make SMS my default MFA method', 'mobile', 'setDefault', 'en'],
  ['set my preferred verification method to a phone call', undefined, 'setDefault', 'en'],
  ['my phone number changed, how do I update sign in', undefined, 'change', 'en'],
  ['Update my number', undefined, 'change', 'en'],
  ['I want to modify my security phone', undefined, 'change', 'en'],
  // The words of Microsoft's pages and the original proof-up guide
  ['update my additional security verification phone', undefined, 'change', 'en'],
  ['proof-up: change my authentication phone', undefined, 'change', 'en'],
  ['change my desk phone for MFA', 'office', 'change', 'en'],
  ['my landline for two-factor changed', 'office', 'change', 'en'],
  ['change my sign-in methods', undefined, 'change', 'en'],
  ['I got a new phone, update my MFA', undefined, 'change', 'en'],
  ['replace my phone number', undefined, 'change', 'en'],
  ['Festnetznummer für die Anmeldung ändern', 'office', 'change', 'de'],
  // English, typos
  ['chnage my mfa phone', undefined, 'change', 'en'],
  ['updte my 2fa numbr', undefined, 'change', 'en'],
  ['change my autheticator number', undefined, 'change', 'en'],
  ['cahnge my verificaton phone', undefined, 'change', 'en'],
  ['upadte my securty info', undefined, 'change', 'en'],
  ['chagne mobile numbr for mfa', 'mobile', 'change', 'en'],
  ['remvoe my ofice phone', 'office', 'remove', 'en'],
  // German
  ['Ich möchte meine Handynummer für die Anmeldung ändern', 'mobile', 'change', 'de'],
  ['MFA Telefonnummer ändern', undefined, 'change', 'de'],
  ['neue Handynummer für Zwei-Faktor-Authentifizierung', 'mobile', 'change', 'de'],
  ['Bürotelefon hinzufügen', 'office', 'add', 'de'],
  ['alternative Telefonnummer löschen', 'alternate', 'remove', 'de'],
  ['Sicherheitsinformationen aktualisieren', undefined, 'change', 'de'],
  // Spanish
  ['quiero cambiar mi número de teléfono de MFA', undefined, 'change', 'es'],
  ['cambiar mi celular para la verificación en dos pasos', 'mobile', 'change', 'es'],
  ['actualizar mi información de seguridad', undefined, 'change', 'es'],
  ['agregar teléfono de oficina', 'office', 'add', 'es'],
  ['eliminar mi teléfono alternativo', 'alternate', 'remove', 'es'],
  // French
  ['changer mon numéro de téléphone pour la double authentification', undefined, 'change', 'fr'],
  ['modifier mon portable pour la connexion', 'mobile', 'change', 'fr'],
  ['mettre à jour mes informations de sécurité', undefined, 'change', 'fr'],
  ['ajouter un téléphone de bureau', 'office', 'add', 'fr'],
  ['supprimer mon téléphone de secours', 'alternate', 'remove', 'fr'],
];

const negatives: string[] = [
  'hello',
  'hi there',
  'thanks!',
  'change my password',
  'reset my password please',
  'what is the number of licenses we have',
  'update the number of seats in the meeting room',
  'my laptop is broken',
  'order a new laptop',
  'change my display name',
  'update my address',
  'delete my old emails',
  'add a calendar event for Monday',
  'what is the weather today',
  'who is on call this week',
  'what is the helpdesk phone number',
  'call me on my phone',
  'my phone is ringing',
  'I changed teams last week',
  'switch to dark mode',
  'set an out of office reply',
  'the office is cold',
  'remove me from the distribution list',
  'new hire onboarding checklist',
  'change the meeting time',
  'update Teams to the latest version',
  'where is the printer',
  'how do I book a room',
  'what time is it in Berlin',
  'Wie ist das Wetter morgen',
  'necesito vacaciones',
  "j'ai faim",
  '',
  '12345',
];

describe('recognize: the change-security-info intent family', () => {
  it('has a table of at least 40 positive and 30 negative utterances', () => {
    expect(positives.length).toBeGreaterThanOrEqual(40);
    expect(negatives.length).toBeGreaterThanOrEqual(30);
  });

  it.each(positives)('recognizes %j (phone=%s, action=%s, lang=%s)', (text, phone, action, language) => {
    const { languageSure: _sure, ...recognised } = recognize(text);
    expect(recognised).toEqual({ intent: 'changeSecurityInfo', action, language, ...(phone ? { phone } : {}) });
  });

  it.each(negatives.map((t) => [t]))('does not recognize %j', (text) => {
    expect(recognize(text).intent).not.toBe('changeSecurityInfo');
  });
});

describe('recognize: the phone as a device is not a change (no start)', () => {
  it.each([
    ['I need to replace my phone'],
    ['order a new phone'],
    ['I need a new phone'],
    ['my phone screen is cracked'],
    ['can you repair my phone'],
    ['request a replacement phone'],
    ['Mein Handy ist kaputt'],
    ['quiero comprar un teléfono nuevo'],
    ['mon téléphone est cassé'],
  ])('%j is a device request', (text) => {
    expect(recognize(text).intent).toBe('device');
  });
});

describe('recognize: bounded input', () => {
  it('looks at the first 2,000 characters only (a request after them is not seen)', () => {
    expect(recognize(`change my MFA phone ${'a '.repeat(5000)}`).intent).toBe('changeSecurityInfo');
    expect(recognize(`${'a '.repeat(5000)} change my MFA phone`).intent).toBe('none');
  });
});

describe('recognize: greetings and thanks', () => {
  it.each([['hi'], ['hello'], ['Hallo'], ['hola'], ['bonjour']])('%j is a greeting', (text) => {
    expect(recognize(text).intent).toBe('greeting');
  });
  it.each([['thanks!'], ['thank you so much'], ['danke'], ['gracias'], ['merci']])('%j is thanks', (text) => {
    expect(recognize(text).intent).toBe('thanks');
  });
  it('a greeting with a request is the request', () => {
    expect(recognize('hi, change my mfa phone').intent).toBe('changeSecurityInfo');
  });
});

describe('recognize: help and cancel', () => {
  it.each([['help'], ['what can you do?'], ['Hilfe'], ['ayuda'], ['aide']])('%j is help', (text) => {
    expect(recognize(text).intent).toBe('help');
  });
  it.each([['cancel'], ['stop'], ['abbrechen'], ['cancelar'], ['annuler']])('%j is cancel', (text) => {
    expect(recognize(text).intent).toBe('cancel');
  });
});

describe('recognize: passkeys and the end of text codes (1 February 2027)', () => {
  it.each([
    ['set up a passkey', 'en'],
    ['my text codes are going away', 'en'],
    ['my SMS codes are going away — what do I do?', 'en'],
    ['the sign-in keeps asking me to register a passkey', 'en'],
    ['what happens on 1 February with SMS codes?', 'en'],
    ['can I use a security key instead?', 'en'],
    ['Passkey einrichten', 'de'],
    ['meine SMS-Codes fallen weg', 'de'],
    ['configurar una clave de acceso', 'es'],
    ['los códigos SMS desaparecen', 'es'],
    ["configurer une clé d'accès", 'fr'],
    ['les codes SMS ne fonctionnent plus', 'fr'],
  ] as const)('"%s" → passkey (%s)', (text, language) => {
    expect(recognize(text)).toMatchObject({ intent: 'passkey', language });
  });

  it.each([
    ['my 2FA number is wrong', 'change'],
    ['proof up', 'change'],
    ['stop texting sign-in codes to my old phone', 'change'],
  ] as const)('"%s" is a change of security info (was missed)', (text, action) => {
    expect(recognize(text)).toMatchObject({ intent: 'changeSecurityInfo', action });
  });

  it.each(['update my emergency contact number', 'change the emergency number on my profile', 'Notfallkontakt ändern'])(
    '"%s" is not a change of sign-in methods',
    (text) => {
      expect(recognize(text).intent).not.toBe('changeSecurityInfo');
    },
  );

  it('a lost phone and a password stay what they are', () => {
    expect(recognize('I lost my phone').intent).toBe('lostPhone');
    expect(recognize('olvidé mi clave').intent).toBe('password');
  });
});
