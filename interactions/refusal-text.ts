import type { ErrorCode } from '../src/kernel/error-codes.js';
import { GatehouseError } from '../src/kernel/gatehouse-error.js';
import type { MessageKey } from '../src/i18n/message-catalogue.js';
import { waitOf } from '../src/kernel/wait-in-words.js';
import { ThrottledError } from '../src/accounts/password-check.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordLength } from '../src/accounts/password-policy.js';
import { formatList, t } from './page/translate.js';
import type { AttributeRule } from '../src/directory/attribute-invalid.js';

/**
 * The words of the services' refusals a person meets on our pages, by the error's stable code
 * (src/kernel/error-codes.ts), in the page's language. Services speak English: their messages are
 * for logs, the management API and the CLI. A code with no message here is shown in the service's
 * words. One map for every page, so a refusal reads the same wherever it is met.
 */
const REFUSALS: Partial<Record<ErrorCode, MessageKey>> = {
  ERR_EMAIL_INVALID: 'refusal.ERR_EMAIL_INVALID',
  ERR_EMAIL_TAKEN: 'refusal.ERR_EMAIL_TAKEN',
  ERR_EMAIL_UNCHANGED: 'refusal.ERR_EMAIL_UNCHANGED',
  ERR_GRANT_NOT_FOUND: 'refusal.ERR_GRANT_NOT_FOUND',
  ERR_IDENTITY_LAST_WAY_IN: 'refusal.ERR_IDENTITY_LAST_WAY_IN',
  ERR_LINK_INVALID: 'refusal.ERR_LINK_INVALID',
  ERR_MFA_ALREADY_ENROLLED: 'refusal.ERR_MFA_ALREADY_ENROLLED',
  ERR_MFA_CODE_INVALID: 'refusal.ERR_MFA_CODE_INVALID',
  ERR_MFA_LAST_FACTOR: 'refusal.ERR_MFA_LAST_FACTOR',
  ERR_MFA_NOT_ENROLLED: 'refusal.ERR_MFA_NOT_ENROLLED',
  ERR_MFA_NO_ENROLMENT: 'refusal.ERR_MFA_NO_ENROLMENT',
  ERR_PASSKEY_CHALLENGE: 'refusal.ERR_PASSKEY_CHALLENGE',
  ERR_PASSKEY_CLONED: 'refusal.ERR_PASSKEY_CLONED',
  ERR_PASSKEY_EXISTS: 'refusal.ERR_PASSKEY_EXISTS',
  ERR_PASSKEY_INVALID: 'refusal.ERR_PASSKEY_INVALID',
  ERR_PASSKEY_LAST_FACTOR: 'refusal.ERR_PASSKEY_LAST_FACTOR',
  ERR_PASSKEY_NOT_FOUND: 'refusal.ERR_PASSKEY_NOT_FOUND',
  ERR_PASSKEY_USER_VERIFICATION: 'refusal.ERR_PASSKEY_USER_VERIFICATION',
  ERR_PASSWORD_CONFIRMATION: 'refusal.ERR_PASSWORD_CONFIRMATION',
  ERR_PASSWORD_MISMATCH: 'refusal.ERR_PASSWORD_MISMATCH',
  ERR_SECOND_FACTOR_REQUIRED: 'refusal.ERR_SECOND_FACTOR_REQUIRED',
  ERR_SESSION_NOT_FOUND: 'refusal.ERR_SESSION_NOT_FOUND',
  ERR_SIGN_IN_AGAIN: 'refusal.ERR_SIGN_IN_AGAIN',
};

/** The refusals that say how long to wait (the error's `retryAfterSeconds`, as ICU select on the unit). */
const WAITS: Partial<Record<ErrorCode, MessageKey>> = {
  ERR_MFA_THROTTLED: 'refusal.ERR_MFA_THROTTLED',
  ERR_THROTTLED: 'refusal.ERR_THROTTLED',
};

/** What the person typed, where the refusal's words depend on it. */
export interface TypedValues {
  /** The password refused by the policy: too short, too long or too common. */
  readonly password?: string;
  /** The address domains registration takes, named when an address is at another. */
  readonly domains?: readonly string[];
  /** The field the refusal is about, as the form labels it (an attribute's); else the error names it. */
  readonly field?: string;
}

/** A refused attribute value, by the rule it broke (src/directory/attribute-invalid.ts). */
const ATTRIBUTE_RULES: Readonly<Record<AttributeRule, MessageKey>> = {
  emptyItem: 'refusal.ERR_ATTRIBUTE_INVALID.emptyItem',
  notAList: 'refusal.ERR_ATTRIBUTE_INVALID.notAList',
  notANumber: 'refusal.ERR_ATTRIBUTE_INVALID.notANumber',
  notAString: 'refusal.ERR_ATTRIBUTE_INVALID.notAString',
  notAllowed: 'refusal.ERR_ATTRIBUTE_INVALID.notAllowed',
  notTrueOrFalse: 'refusal.ERR_ATTRIBUTE_INVALID.notTrueOrFalse',
  pattern: 'refusal.ERR_ATTRIBUTE_INVALID.pattern',
  tooLong: 'refusal.ERR_ATTRIBUTE_INVALID.tooLong',
  tooManyItems: 'refusal.ERR_ATTRIBUTE_INVALID.tooManyItems',
};

/** The words for an attribute's refusal, from the error's `detail`; undefined for a rule pages never meet. */
function attributeRefusal(error: GatehouseError, field: string | undefined): string | undefined {
  const detail = error.detail ?? {};
  const attribute = field ?? (typeof detail.attribute === 'string' ? detail.attribute : undefined);
  if (attribute === undefined) return undefined;
  if (error.code === 'ERR_ATTRIBUTE_NOT_EDITABLE') return t('refusal.ERR_ATTRIBUTE_NOT_EDITABLE', { attribute });
  const rule = typeof detail.rule === 'string' && Object.hasOwn(ATTRIBUTE_RULES, detail.rule) ? detail.rule : undefined;
  if (rule === undefined) return undefined;
  const choices = Array.isArray(detail.choices) ? formatList(detail.choices.map(String), 'disjunction') : '';
  return t(ATTRIBUTE_RULES[rule as AttributeRule], {
    attribute,
    limit: typeof detail.limit === 'number' ? detail.limit : 0,
    value: typeof detail.value === 'string' ? detail.value : '',
    choices,
  });
}

/** The words for a refusal: its code's message in the page's language, else `english` (the service's own by default). */
export function refusalText(error: unknown, english?: string, typed: TypedValues = {}): string {
  if (!(error instanceof GatehouseError)) return english ?? t('refusal.fallback');
  const code = error.code as ErrorCode;
  const plain = Object.hasOwn(REFUSALS, code) ? REFUSALS[code] : undefined;
  if (plain) return t(plain);
  // Wrong passwords (the one throttled password check) say so; other throttles are about requests.
  if (error instanceof ThrottledError) return t('signIn.error.throttled', waitOf(error.retryAfterSeconds ?? 1));
  const wait = Object.hasOwn(WAITS, code) ? WAITS[code] : undefined;
  if (wait && error.retryAfterSeconds) return t(wait, waitOf(error.retryAfterSeconds));
  if (code === 'ERR_ATTRIBUTE_INVALID' || code === 'ERR_ATTRIBUTE_NOT_EDITABLE') {
    const words = attributeRefusal(error, typed.field);
    if (words !== undefined) return words;
  }
  if (code === 'ERR_EMAIL_DOMAIN' && typed.domains?.length)
    return t('refusal.ERR_EMAIL_DOMAIN', { domains: formatList(typed.domains) });
  if (code === 'ERR_PASSWORD_POLICY' && typed.password !== undefined) {
    const length = passwordLength(typed.password);
    if (length < PASSWORD_MIN_LENGTH) return t('refusal.ERR_PASSWORD_POLICY.tooShort', { min: PASSWORD_MIN_LENGTH });
    if (length > PASSWORD_MAX_LENGTH) return t('refusal.ERR_PASSWORD_POLICY.tooLong', { max: PASSWORD_MAX_LENGTH });
    return t('refusal.ERR_PASSWORD_POLICY.common');
  }
  return english ?? (error.message || t('refusal.fallback'));
}
