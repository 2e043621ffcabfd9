import { GatehouseError } from '../../src/kernel/gatehouse-error.js';
import type { MessageKey } from '../../src/i18n/message-catalogue.js';
import { t } from '../page/translate.js';

/**
 * The services' refusals the console shows, by their stable code (src/kernel/error-codes.ts): the
 * services speak English, the page the person's language. A code with no message here (or whose
 * service message carries values, such as a wait) is shown in the service's own words.
 */
const MESSAGES: Partial<Record<string, MessageKey>> = {
  ERR_PASSWORD_MISMATCH: 'console.error.passwordMismatch',
  ERR_MFA_CODE_INVALID: 'console.error.codeIncorrect',
  ERR_PASSKEY_NOT_FOUND: 'passkeys.error.notFound',
};

/** The words of a refusal on a console page: the catalogue's for its code, else `english` as given. */
export function refusalText(error: unknown, english: string): string {
  const key = error instanceof GatehouseError ? MESSAGES[error.code] : undefined;
  return key ? t(key) : english;
}
