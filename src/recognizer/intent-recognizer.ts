// Local, pure recognizer for the "change my MFA phone" intent family. No cloud NLU: the vocabulary is small, the
// stakes are high, and a deterministic table is easy to test and to explain.
import { FuzzyIndex } from './fuzzy.js';
import { COUNT_MARKERS, type Concept, type Language, LEXICON } from './lexicon.js';

export type Intent =
  | 'changeSecurityInfo'
  | 'passkey'
  | 'lostPhone'
  | 'human'
  | 'password'
  | 'help'
  | 'cancel'
  | 'device'
  | 'greeting'
  | 'thanks'
  | 'none';
export type PhoneSlot = 'mobile' | 'alternate' | 'office';
export type ActionSlot = 'change' | 'add' | 'remove' | 'setDefault';

export interface Recognition {
  intent: Intent;
  phone?: PhoneSlot;
  action?: ActionSlot;
  language: Language;
  /** The words clearly belong to `language` (more votes than any other): the bot then answers in it. */
  languageSure?: boolean;
}

/** Words every language uses alike: they say nothing about the language. */
const NEUTRAL_WORDS: ReadonlySet<string> = new Set([
  'mfa',
  '2fa',
  'sms',
  'otp',
  'ok',
  'okay',
  'hallo',
  'hello',
  'proofup',
]);

/** Short words that say which language a sentence is in, though they mean nothing to the intent. */
const FUNCTION_WORDS: Record<Language, ReadonlySet<string>> = {
  en: new Set(['i', 'my', 'me', 'want', 'would', 'like', 'please', 'the', 'to', 'new', 'need', 'can', 'you', 'how']),
  de: new Set([
    'ich',
    'mein',
    'meine',
    'meinen',
    'mochte',
    'bitte',
    'die',
    'der',
    'das',
    'neue',
    'neues',
    'wie',
    'mir',
  ]),
  es: new Set(['quiero', 'mi', 'mis', 'el', 'la', 'por', 'favor', 'nuevo', 'nueva', 'como', 'necesito', 'de']),
  fr: new Set(['je', 'mon', 'ma', 'mes', 'veux', 'voudrais', 'le', 'la', 'nouveau', 'nouvelle', 'comment', 'svp']),
};

/** The recogniser looks at this many characters at most, so its cost is bounded whatever arrives. */
export const RECOGNIZED_CHARS = 2000;

export function normalize(text: string): string[] {
  return text
    .slice(0, RECOGNIZED_CHARS)
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

interface Hit {
  concept: Concept;
  language: Language;
  start: number;
  end: number; // exclusive
}

/** The lexicon split into words once (not on every message). */
const COMPILED = Object.fromEntries(
  Object.entries(LEXICON).map(([concept, byLanguage]) => [
    concept,
    Object.entries(byLanguage).flatMap(([language, phrases]) =>
      (phrases as string[]).map((phrase) => ({ language: language as Language, words: phrase.split(' ') })),
    ),
  ]),
) as Record<Concept, { language: Language; words: string[] }[]>;

/** Every word of the lexicon, indexed for typo-tolerant lookup (built once). */
const INDEX = new FuzzyIndex(Object.values(COMPILED).flatMap((phrases) => phrases.flatMap((p) => p.words)));

/** One message's tokens, each with the lexicon words it matches (looked up once per token, not per comparison). */
class Tokens {
  private readonly matched: Set<string>[];
  constructor(readonly list: string[]) {
    this.matched = list.map((token) => INDEX.matching(token));
  }

  matches(word: string, index: number): boolean {
    return this.matched[index]?.has(word) ?? false;
  }
}

function findHits(tokens: Tokens, concept: Concept, consumed: Set<number>): Hit[] {
  const hits: Hit[] = [];
  const n = tokens.list.length;
  for (const { language, words } of COMPILED[concept]) {
    for (let start = 0; start + words.length <= n; start++) {
      let ok = true;
      for (let i = 0; i < words.length && ok; i++)
        ok = !consumed.has(start + i) && tokens.matches(words[i] as string, start + i);
      if (ok) hits.push({ concept, language, start, end: start + words.length });
    }
  }
  return hits;
}

function isCountNumber(tokens: string[], hit: Hit): boolean {
  const next = tokens[hit.end];
  return next !== undefined && COUNT_MARKERS.has(next);
}

/**
 * Each matched lexicon word votes for the languages it belongs to, split evenly ("telephone" is English and French),
 * and so does each function word ("ich", "mon"). Sure when one language has more votes than every other.
 */
function dominantLanguage(hits: Hit[], tokens: string[]): { language: Language; languageSure?: boolean } {
  const byToken = new Map<number, Set<Language>>();
  for (const hit of hits) {
    for (let i = hit.start; i < hit.end; i++) byToken.set(i, (byToken.get(i) ?? new Set()).add(hit.language));
  }
  tokens.forEach((token, i) => {
    if (NEUTRAL_WORDS.has(token)) byToken.delete(i);
    if (byToken.has(i) || NEUTRAL_WORDS.has(token)) return;
    const languages = (Object.keys(FUNCTION_WORDS) as Language[]).filter((l) => FUNCTION_WORDS[l].has(token));
    if (languages.length > 0) byToken.set(i, new Set(languages));
  });
  const score: Record<Language, number> = { en: 0, de: 0, es: 0, fr: 0 };
  for (const languages of byToken.values()) for (const language of languages) score[language] += 1 / languages.size;
  const [best, second] = (Object.entries(score) as [Language, number][]).sort((a, b) => b[1] - a[1]);
  if (!best || best[1] <= 0) return { language: 'en' };
  return best[1] > (second?.[1] ?? 0) + 1e-9 ? { language: best[0], languageSure: true } : { language: best[0] };
}

export function recognize(text: string): Recognition {
  const tokens = new Tokens(normalize(text));
  const consumed = new Set<number>();
  const all: Hit[] = [];
  const found = (concept: Concept, consume = false): Hit[] => {
    const hits = findHits(tokens, concept, consumed);
    if (consume) for (const hit of hits) for (let i = hit.start; i < hit.end; i++) consumed.add(i);
    all.push(...hits);
    return hits;
  };

  // Topic phrases first, and they consume their words, so "second factor" is not read as "second phone".
  const topic = found('topic', true).length > 0;
  const weakTopic = found('weakTopic').length > 0;
  const method = found('method').length > 0;
  const phone = found('phone').length > 0 || found('weakPhone').some((hit) => !isCountNumber(tokens.list, hit));
  // Action words consume too, so "ändern" (change) is never mistaken for "andere" (other phone).
  const remove = found('remove', true).length > 0;
  const add = found('add', true).length > 0;
  const setDefault = found('default', true).length > 0 && (method || topic || phone || weakTopic);
  const change = found('change', true).length > 0;

  const securityContext = topic || (weakTopic && (phone || method)) || phone;
  const acting = change || add || remove || setDefault;
  // The phone as a device ("order a new phone", "my screen is cracked", "replace my phone"): never a change, unless
  // the MFA topic or a phone NUMBER is named too ("I got a new phone, update my MFA").
  // ("replace" and "new" were consumed as change words above, so they are looked up again on all words.)
  const swap = phone && findHits(tokens, 'swapDevice', new Set()).length > 0;
  const device = found('device').length > 0 || swap;
  const language = dominantLanguage(all, tokens.list);
  const numberNamed = tokens.list.some((t) => /num(ber|mer|ero)|^nr$/.test(t));
  // A passkey, or the end of text/call codes: the way off phones (before a lost phone or a password: "fallen weg", "clave de acceso").
  const codes = found('codes').length > 0;
  const retiring = found('retire').length > 0 && (phone || topic || weakTopic || codes);
  if (found('passkey').length > 0 || retiring) return { intent: 'passkey', ...dominantLanguage(all, tokens.list) };
  // A lost or stolen phone comes first: it is not a device order, and the user may have no factor left.
  const lost = found('lost').length > 0;
  if (lost && (phone || topic || device || swap)) return { intent: 'lostPhone', ...dominantLanguage(all, tokens.list) };
  if (found('password').length > 0 && !phone) return { intent: 'password', ...dominantLanguage(all, tokens.list) };
  // Numbers that are not sign-in methods (an emergency contact, payroll): never a change of security info.
  if (found('notSecurity').length > 0 && !topic) return { intent: 'none', ...dominantLanguage(all, tokens.list) };
  if (found('human').length > 0 && !acting) return { intent: 'human', ...dominantLanguage(all, tokens.list) };
  if (device && !topic && !weakTopic && !numberNamed) return { intent: 'device', ...language };

  if (acting && securityContext) {
    const action: ActionSlot = remove ? 'remove' : add ? 'add' : setDefault ? 'setDefault' : 'change';
    const phoneSlot: PhoneSlot | undefined = found('office').length
      ? 'office'
      : found('alternate').length
        ? 'alternate'
        : found('mobile').length
          ? 'mobile'
          : undefined;
    return { intent: 'changeSecurityInfo', action, ...(phoneSlot ? { phone: phoneSlot } : {}), ...language };
  }
  // The topic named on its own ("proof up", "MFA", "2FA settings"): the security info, to see and change.
  if (topic && tokens.list.length <= 3) return { intent: 'changeSecurityInfo', action: 'change', ...language };
  if (found('cancel').length > 0 && tokens.list.length <= 4)
    return { intent: 'cancel', ...dominantLanguage(all, tokens.list) };
  if (found('help').length > 0 || (tokens.list.length === 0 && text.includes('?'))) {
    return { intent: 'help', ...dominantLanguage(all, tokens.list) };
  }
  if (tokens.list.length <= 5 && found('thanks').length > 0)
    return { intent: 'thanks', ...dominantLanguage(all, tokens.list) };
  if (tokens.list.length <= 5 && found('greeting').length > 0)
    return { intent: 'greeting', ...dominantLanguage(all, tokens.list) };
  return { intent: 'none', ...language };
}
