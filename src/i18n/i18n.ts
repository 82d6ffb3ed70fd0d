// Every sentence a user reads, in their language: one ICU MessageFormat catalogue per language in /locales
// (en, de, es, fr), formatted with FormatJS' intl-messageformat (plurals, select and numbers by CLDR rules through
// Intl). Code asks for a message by key with its values; it never glues sentences together.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import type EnglishCatalogue from '../../locales/en.json';
import { AppError, ErrorCodes } from '../errors.js';
import { projectRoot } from '../paths.js';

export const LANGUAGES = ['en', 'de', 'es', 'fr'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'en';

/** Every message key (English is the reference catalogue; a test keeps the others in step). */
export type MessageKey = keyof typeof EnglishCatalogue;
export type MessageValues = Record<string, PrimitiveType>;

/** The formatting locale of each language (dates, numbers): en-GB keeps 24-hour times and day-month order. */
const FORMAT_LOCALES: Record<Lang, string> = { en: 'en-GB', de: 'de-DE', es: 'es-ES', fr: 'fr-FR' };

export function formatLocale(lang: Lang): string {
  return FORMAT_LOCALES[lang];
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** "de-DE" → "de"; a language we do not speak (or garbage) → undefined. */
export function languageOf(locale: unknown): Lang | undefined {
  if (typeof locale !== 'string' || locale.length > 35) return undefined;
  const primary = locale.split(/[-_]/)[0]?.toLowerCase();
  return isLang(primary) ? primary : undefined;
}

/** The best of an Accept-Language header ("de-CH,de;q=0.9,en;q=0.8") that we speak. */
export function languageOfHeader(header: unknown): Lang | undefined {
  if (typeof header !== 'string') return undefined;
  const ranked = header
    .slice(0, 200)
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { lang: languageOf(tag), q: q === undefined ? 1 : Number(q) };
    })
    .filter((r): r is { lang: Lang; q: number } => r.lang !== undefined && r.q > 0)
    .sort((a, b) => b.q - a.q);
  return ranked[0]?.lang;
}

const catalogues = new Map<Lang, Record<string, string>>();
const compiled = new Map<string, IntlMessageFormat>();

/** The catalogue of one language as stored (for tests and tools). */
export function catalogue(lang: Lang): Record<string, string> {
  let found = catalogues.get(lang);
  if (!found) {
    const file = path.join(projectRoot(), 'locales', `${lang}.json`);
    try {
      found = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch (err) {
      throw new AppError(ErrorCodes.CARD_TEMPLATE_MISSING, `message catalogue ${lang} cannot be read from ${file}`, {
        cause: err,
      });
    }
    catalogues.set(lang, found);
  }
  return found;
}

function formatter(lang: Lang, key: MessageKey): IntlMessageFormat {
  const id = `${lang}|${key}`;
  let message = compiled.get(id);
  if (!message) {
    // A key missing in a translation falls back to English (a unit test makes sure none is missing).
    const source = catalogue(lang)[key] ?? catalogue(DEFAULT_LANG)[key];
    if (source === undefined) throw new AppError(ErrorCodes.CARD_TEMPLATE_MISSING, `no message "${key}"`);
    message = new IntlMessageFormat(source, formatLocale(lang), undefined, { ignoreTag: true });
    compiled.set(id, message);
  }
  return message;
}

/** The message `key` in `lang`, with its values filled in. */
export function t(lang: Lang, key: MessageKey, values?: MessageValues): string {
  return String(formatter(lang, key).format(values));
}

/** Texts in one language: `say('key', {…})`. */
export type Say = (key: MessageKey, values?: MessageValues) => string;

export function sayer(lang: Lang = DEFAULT_LANG): Say {
  return (key, values) => t(lang, key, values);
}
