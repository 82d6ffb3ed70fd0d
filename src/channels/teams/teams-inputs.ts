// What a Teams activity says about the person beyond its text: the language of the turn and the time zone Teams
// reports. (Card submits → flow inputs are channel-neutral: ../flow-inputs.ts.)
import type { Activity } from 'botbuilder';
import { DEFAULT_LANG, isLang, type Lang, languageOf } from '../../i18n/i18n.js';
import type { Recognition } from '../../recognizer/intent-recognizer.js';
import { knownTimeZone } from '../../time.js';

/**
 * The language to answer this turn in: the language the user clearly wrote in, else the one a pressed card carries
 * (the request's), else the Teams client's locale, else the recogniser's best guess, else English. Written words win
 * over the locale: someone whose Teams is in English but who writes German expects German (and the Agents Playground
 * always sends en-US).
 */
export function turnLanguage(context: { activity: Partial<Activity> }, recognition?: Recognition): Lang {
  if (recognition?.languageSure && isLang(recognition.language)) return recognition.language;
  const carried = (context.activity.value as { lang?: unknown } | undefined)?.lang;
  if (isLang(carried)) return carried;
  return languageOf(context.activity.locale) ?? (isLang(recognition?.language) ? recognition.language : DEFAULT_LANG);
}

/** The user's IANA time zone: Teams sends `localTimezone` and a clientInfo entity with `timezone`. */
export function userTimeZone(context: { activity: Partial<Activity> }): string | undefined {
  const activity = context.activity;
  const clientInfo = activity.entities?.find((e) => e?.type === 'clientInfo') as { timezone?: unknown } | undefined;
  return knownTimeZone(activity.localTimezone) ?? knownTimeZone(clientInfo?.timezone);
}
