// What a helpdesk agent types, in either chat: handing someone to the bot, the readiness report. English commands followed by a name or an e-mail
// address (an agent's commands, not a user's request).
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** "help Adele Vance", "help adelev@contoso.com", "hand off Adele": who the agent means (or undefined). */
export const HANDOFF_TEXT =
  /^\s*(?:help|hand\s?off|handoff)\s+(?!(?:me|please|us|with|my|i|to|for|on|about|needed|mfa|phone)\b)([\p{L}][\p{L}\p{N}.'’@_+-]*(?: [\p{L}][\p{L}\p{N}.'’-]*){0,3})\s*$/iu;
/** "hand off", "help someone": the handoff form. */
export const HANDOFF_FORM_TEXT = /^\s*(?:hand\s?off|handoff|help (?:someone|a user|a colleague))\s*$/i;

export const isEmail = (text: string) => EMAIL.test(text.trim());

/** "readiness", "readiness report", "readiness for Sales", "readiness for group Sales". */
export const READINESS_TEXT = /^\s*readiness(?:\s+report)?(?:\s+for\s+(?:group\s+)?(\S.{0,119}?))?\s*$/i;

/** "readiness names" / "readiness names for group Sales": who signs in only by phone, in the agent's own chat. */
export const READINESS_NAMES_TEXT = /^\s*readiness\s+names(?:\s+for\s+(?:group\s+)?(\S.{0,119}?))?\s*$/i;

/** "temporary access pass for Adele", "TAP adelev@contoso.com", "issue a TAP for Adele Vance". */
export const PASS_TEXT =
  /^\s*(?:issue\s+(?:a\s+)?)?(?:tap|temporary\s+access\s+pass)\s+(?:for\s+)?([\p{L}][\p{L}\p{N}.'’@_+-]*(?: [\p{L}][\p{L}\p{N}.'’-]*){0,3})\s*$/iu;

/** "remind phone-only users", "remind phone only people in group Sales", "remind phone-only for Sales". */
export const REMIND_TEXT =
  /^\s*remind\s+phone[-\s]only(?:\s+(?:users|people))?(?:\s+(?:in|for)\s+(?:group\s+)?(\S.{0,119}?))?\s*$/i;
