// A message that is nothing but six digits: the code a person types into the chat — the sign-in's binding code, or the
// code texted to a new number. Both channels read it the same way.
export const SIX_DIGITS = /^\s*(\d{6})\s*$/;
