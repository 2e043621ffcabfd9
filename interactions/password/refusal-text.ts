import { GatehouseError } from '../../src/kernel/gatehouse-error.js';
import { waitOf } from '../../src/kernel/wait-in-words.js';
import type { MessageKey } from '../../src/i18n/message-catalogue.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordLength } from '../../src/accounts/password-policy.js';
import { formatList, t } from '../page/translate.js';

/** The refusals of the reset and registration forms whose words do not depend on what was typed. */
const PLAIN: Readonly<Record<string, MessageKey>> = {
  ERR_PASSWORD_CONFIRMATION: 'reset.error.passwordConfirmation',
  ERR_SECOND_FACTOR_REQUIRED: 'reset.error.secondFactorRequired',
  ERR_MFA_CODE_INVALID: 'reset.error.codeInvalid',
  ERR_EMAIL_INVALID: 'register.error.emailInvalid',
};

/** The refusals that say how long to wait (`retryAfterSeconds`), ICU select on the unit. */
const WAITS: Readonly<Record<string, MessageKey>> = {
  ERR_MFA_THROTTLED: 'reset.error.codeThrottled',
  ERR_THROTTLED: 'register.error.throttled',
};

/**
 * A service's refusal in the page's language. Services speak English (their GatehouseError
 * messages are for logs, the API and the CLI too); the page maps the stable code to a catalogue
 * key, and shows the service's English message when a code has no key yet. The password policy's
 * refusal is told apart by the password itself (too short, too long, too common).
 */
export function refusalText(
  error: unknown,
  english: string,
  typed: { readonly password?: string; readonly domains?: readonly string[] } = {},
): string {
  if (!(error instanceof GatehouseError)) return english;
  const plain = PLAIN[error.code];
  if (plain) return t(plain);
  const wait = WAITS[error.code];
  if (wait && error.retryAfterSeconds) return t(wait, waitOf(error.retryAfterSeconds));
  if (error.code === 'ERR_EMAIL_DOMAIN' && typed.domains?.length)
    return t('register.error.emailDomain', { domains: formatList(typed.domains) });
  if (error.code === 'ERR_PASSWORD_POLICY' && typed.password !== undefined) {
    const length = passwordLength(typed.password);
    if (length < PASSWORD_MIN_LENGTH) return t('reset.error.passwordTooShort', { min: PASSWORD_MIN_LENGTH });
    if (length > PASSWORD_MAX_LENGTH) return t('reset.error.passwordTooLong', { max: PASSWORD_MAX_LENGTH });
    return t('reset.error.passwordCommon');
  }
  return english;
}
