import type { Wish } from '../flow/flow.js';
import type { Recognition } from '../recognizer/intent-recognizer.js';

const PHONE_TYPES = { mobile: 'mobile', alternate: 'alternateMobile', office: 'office' } as const;

/** The recognised phone and action, carried to the first step after sign-in (they only pre-select). */
export function wishFrom(recognition: Recognition): Required<Record<keyof Wish, string>> {
  return {
    phone: recognition.phone ? PHONE_TYPES[recognition.phone] : '',
    action: recognition.phone || recognition.action === 'setDefault' ? (recognition.action ?? '') : '',
  };
}

const PHONE_NAMES = { mobile: 'mobile phone', alternate: 'alternate phone', office: 'office phone' } as const;

/** One sentence that tells the user what we understood, so a misunderstanding is visible before anything starts. */
export function describeRequest(recognition: Recognition): string {
  const what = recognition.phone ? `your ${PHONE_NAMES[recognition.phone]}` : 'a phone number you use for MFA';
  switch (recognition.action) {
    case 'add':
      return `You asked to add ${recognition.phone ? `an ${PHONE_NAMES[recognition.phone]}` : 'a phone for MFA'}.`;
    case 'remove':
      return `You asked to remove ${what}.`;
    case 'setDefault':
      return 'You asked to change your default sign-in method.';
    default:
      return `You asked to change ${what}.`;
  }
}
