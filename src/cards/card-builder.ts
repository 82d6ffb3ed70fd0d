import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { type Attachment, CardFactory } from 'botbuilder';
import { AppError, ErrorCodes } from '../errors.js';
import { DEFAULT_LANG, type Lang, type MessageKey, t } from '../i18n/i18n.js';

/** Names of the templates in /cards. A card is data: the code only supplies the view model. */
export type CardName =
  | 'intro'
  | 'help'
  | 'welcome'
  | 'sign-in'
  | 'verified'
  | 'step-up-failed'
  | 'security-info'
  | 'phone-entry'
  | 'code-entry'
  | 'confirm-change'
  | 'change-result'
  | 'applying'
  | 'step-closed'
  | 'offer'
  | 'escalation'
  | 'handoff-form'
  | 'handoff-status'
  | 'handoff-invite'
  | 'tap-attest'
  | 'tap-approval'
  | 'tap-pass'
  | 'tap-verify'
  | 'tap-manager'
  | 'readiness'
  | 'readiness-names'
  | 'reminder'
  | 'campaign'
  | 'passkey';

/** A template string that is one catalogue message: "{{card.confirm.title}}". */
const MESSAGE_TOKEN = /^\{\{([\w.-]+)\}\}$/;

/** Every argument of a message becomes the template expression of the same name: {name} → ${name}. */
const AS_EXPRESSIONS = new Proxy(
  {},
  { has: () => true, get: (_target, name) => (typeof name === 'string' ? `\${${name}}` : '') },
);

/** Replaces every "{{key}}" string of a template with the message in `lang` (its arguments as ${…} expressions). */
export function localise(json: unknown, lang: Lang): unknown {
  if (typeof json === 'string') {
    const key = MESSAGE_TOKEN.exec(json)?.[1];
    return key ? t(lang, key as MessageKey, AS_EXPRESSIONS) : json;
  }
  if (Array.isArray(json)) return json.map((item) => localise(item, lang));
  if (json && typeof json === 'object')
    return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, localise(v, lang)]));
  return json;
}

export class CardBuilder {
  /** Parsed once per card and language: the SDK documents a Template as reusable; parsing it is the costly part. */
  private readonly templates = new Map<string, ACData.Template>();

  constructor(private readonly cardsDir: string) {}

  build(name: CardName, data: Record<string, unknown>, lang: Lang = DEFAULT_LANG): Attachment {
    return CardFactory.adaptiveCard(this.template(name, lang).expand({ $root: data }));
  }

  private template(name: CardName, lang: Lang): ACData.Template {
    const id = `${name}|${lang}`;
    let template = this.templates.get(id);
    if (!template) {
      let json: object;
      const file = path.join(this.cardsDir, `${name}.json`);
      try {
        json = JSON.parse(readFileSync(file, 'utf8')) as object;
      } catch (err) {
        throw new AppError(ErrorCodes.CARD_TEMPLATE_MISSING, `card template ${name} cannot be read from ${file}`, {
          cause: err,
        });
      }
      template = new ACData.Template(localise(json, lang));
      this.templates.set(id, template);
    }
    return template;
  }
}
