import type { TurnContext } from 'botbuilder';
import type { Logger } from '../logging.js';

export const TURN_LOGGER_KEY = Symbol('proofup.turnLogger');

/** The logger the HTTP edge attached to this turn (it carries the request id), or the fallback. */
export function turnLogger(context: TurnContext, fallback: Logger): Logger {
  return (context.turnState.get(TURN_LOGGER_KEY) as Logger | undefined) ?? fallback;
}
