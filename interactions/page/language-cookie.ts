/**
 * The language a person picked with the switcher (language-routes.ts), read back on every page
 * they open. Not HttpOnly: it holds no secret, only a language tag checked against the shipped
 * ones when read (negotiate-locale.ts). SameSite=Lax: sent when an app sends the browser here.
 */
export const LANGUAGE_COOKIE = 'gatehouse_locale';

/** Remembered a year (issue 24: "remembered"), renewed at each pick. */
export const LANGUAGE_COOKIE_MAX_AGE_MS = 365 * 24 * 3600 * 1000;
