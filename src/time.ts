// Times for people: in the user's own time zone (as their chat client reports it), with the zone named, so "until
// 14:32" is never read in the wrong zone. An unknown or missing zone falls back to UTC, said as such.
import { DEFAULT_LANG, formatLocale, type Lang } from './i18n/i18n.js';

const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withDate: boolean, lang: Lang = DEFAULT_LANG): Intl.DateTimeFormat {
  const key = `${timeZone}|${withDate}|${lang}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(formatLocale(lang), {
      timeZone,
      ...(withDate ? { year: 'numeric', month: 'short', day: 'numeric' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formats.set(key, format);
  }
  return format;
}

/** A valid IANA zone name, else undefined. */
export function knownTimeZone(zone: unknown): string | undefined {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return undefined;
  try {
    formatter(zone, false);
    return zone;
  } catch {
    return undefined;
  }
}

/** "14:32 CET" (or "13:32 UTC"), in the user's language. */
export function clockTime(at: number, timeZone?: string, lang?: Lang): string {
  return formatter(knownTimeZone(timeZone) ?? 'UTC', false, lang).format(at);
}

/** "29 Nov 2026, 14:32 CET" ("29. Nov. 2026, 14:32 MEZ" in German). */
export function dateTime(at: number, timeZone?: string, lang?: Lang): string {
  return formatter(knownTimeZone(timeZone) ?? 'UTC', true, lang).format(at);
}

/** "1 February 2027" ("1. Februar 2027"): a calendar date, the same everywhere (UTC). */
export function longDate(at: number, lang?: Lang): string {
  const id = `long|${lang ?? 'en'}`;
  let format = formats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(lang ?? 'en', { dateStyle: 'long', timeZone: 'UTC' });
    formats.set(id, format);
  }
  return format.format(at);
}
