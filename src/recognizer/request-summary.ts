import type { Wish } from '../flow/flow.js';
import type { Lang } from '../i18n/i18n.js';
import { t } from '../i18n/i18n.js';
import type { Recognition } from './intent-recognizer.js';

const PHONE_TYPES = { mobile: 'mobile', alternate: 'alternateMobile', office: 'office' } as const;

/** The recognised phone and action, carried to the first step after sign-in (they only pre-select). */
export function wishFrom(
  recognition: Recognition,
): Required<Record<Exclude<keyof Wish, 'lang' | 'lost' | 'helpdesk'>, string>> {
  return {
    phone: recognition.phone ? PHONE_TYPES[recognition.phone] : '',
    action: recognition.phone || recognition.action === 'setDefault' ? (recognition.action ?? '') : '',
    passkey: recognition.intent === 'passkey' ? '1' : '',
  };
}

/** One sentence that tells the user what we understood, so a misunderstanding is visible before anything starts. */
export function describeRequest(recognition: Recognition, lang: Lang): string {
  if (recognition.intent === 'passkey') return t(lang, 'request.passkey');
  const phone = recognition.phone ?? 'none';
  switch (recognition.action) {
    case 'add':
      return t(lang, 'request.add', { phone });
    case 'remove':
      return t(lang, 'request.remove', { phone });
    case 'setDefault':
      return t(lang, 'request.setDefault');
    default:
      return t(lang, 'request.change', { phone });
  }
}
