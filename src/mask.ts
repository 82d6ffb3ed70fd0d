// One masking function for phone numbers (pure). Used for chat, cards and logs alike.
const BULLET = '\u2022';

/**
 * Masks a phone number, keeping only the country code and the last four digits, always in the same shape so the
 * length of the number is not revealed either: "+1 4255550123x45" -> "+1 ••• ••• 01 23". Anything that is not a
 * recognisable number is fully masked.
 */
export function maskPhone(input: string): string {
  const match = /^\s*\+(\d{1,3})[\s-]*([\d\s().-]+?)(?:\s*(?:x|ext\.?)\s*\d+)?\s*$/i.exec(input);
  const national = match?.[2]?.replace(/\D/g, '') ?? '';
  const hidden = `${BULLET.repeat(3)} ${BULLET.repeat(3)}`;
  if (!match || national.length < 5) return hidden;
  const tail = national.slice(-4);
  return `+${match[1]} ${hidden} ${tail.slice(0, 2)} ${tail.slice(2)}`;
}

/** "alex.wilber@contoso.com" -> "a•••@contoso.com": enough to recognise one's own address, not to learn it. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return `${BULLET.repeat(3)}`;
  return `${address[0]}${BULLET.repeat(3)}${address.slice(at)}`;
}

/** For people: the masked number plus its extension, which is not secret and tells office numbers apart. */
export function displayPhone(input: string): string {
  const extension = /(?:x|ext\.?)\s*(\d{1,10})\s*$/i.exec(input)?.[1];
  return extension ? `${maskPhone(input)} ext. ${extension}` : maskPhone(input);
}

// Seven or more digits, optionally with a leading + and common separators in between: phone-shaped. Not part of
// a longer word, so GUIDs, hex ids and ISO timestamps stay readable.
const PHONE_LIKE = /(?<![\w+-])\+?\d(?:[\s().-]{0,2}\d){6,}(?:\s*(?:x|ext\.?)\s*\d+)?(?![\w-])/gi;
// Three base64url segments, the first starting like a JSON header: a JWT.
const JWT_LIKE = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;
const BEARER = /\b(Bearer)\s+[\w.~+/=-]{8,}/gi;

/** Masks every phone-shaped run and strips tokens from free text (log messages, error texts). */
export function scrubText(text: string): string {
  return text
    .replace(JWT_LIKE, '[redacted-token]')
    .replace(BEARER, '$1 [redacted]')
    .replace(PHONE_LIKE, (m) =>
      m.startsWith('+') ? maskPhone(m) : `[number ${BULLET.repeat(2)}${m.replace(/\D/g, '').slice(-2)}]`,
    );
}
