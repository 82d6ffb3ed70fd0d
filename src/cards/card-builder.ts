import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { type Attachment, CardFactory } from 'botbuilder';
import { AppError, ErrorCodes } from '../errors.js';

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
  | 'step-closed';

export class CardBuilder {
  /** Parsed once per card: the SDK documents a Template as reusable, and parsing its expressions is the costly part. */
  private readonly templates = new Map<CardName, ACData.Template>();

  constructor(private readonly cardsDir: string) {}

  build(name: CardName, data: Record<string, unknown>): Attachment {
    return CardFactory.adaptiveCard(this.template(name).expand({ $root: data }));
  }

  private template(name: CardName): ACData.Template {
    let template = this.templates.get(name);
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
      template = new ACData.Template(json);
      this.templates.set(name, template);
    }
    return template;
  }
}
