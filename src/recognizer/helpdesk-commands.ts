// What an agent types to hand someone to the bot, in either chat. English commands followed by a name or an e-mail
// address (an agent's commands, not a user's request).
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** "help Adele Vance", "help adelev@contoso.com", "hand off Adele": who the agent means (or undefined). */
export const HANDOFF_TEXT =
  /^\s*(?:help|hand\s?off|handoff)\s+(?!(?:me|please|us|with|my|i|to|for|on|about|needed|mfa|phone)\b)([\p{L}][\p{L}\p{N}.'’@_+-]*(?: [\p{L}][\p{L}\p{N}.'’-]*){0,3})\s*$/iu;
/** "hand off", "help someone": the handoff form. */
export const HANDOFF_FORM_TEXT = /^\s*(?:hand\s?off|handoff|help (?:someone|a user|a colleague))\s*$/i;

export const isEmail = (text: string) => EMAIL.test(text.trim());
