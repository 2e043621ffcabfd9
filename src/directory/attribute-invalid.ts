import { GatehouseError } from '../kernel/gatehouse-error.js';

/**
 * Why a value for a declared attribute was refused (attribute-value.ts): the rules a person can
 * meet in their console's details form, each worded by the pages in the person's language.
 */
export type AttributeRule =
  | 'notAString'
  | 'notANumber'
  | 'notTrueOrFalse'
  | 'notAList'
  | 'tooLong'
  | 'tooManyItems'
  | 'emptyItem'
  | 'pattern'
  | 'notAllowed';

/** Why a standard claim's value (profile-claim-values.ts) or a directory change was refused: the CLI's and the API's. */
export type ClaimRule =
  | 'notAString'
  | 'notTrueOrFalse'
  | 'tooLong'
  | 'empty'
  | 'notOneLine'
  | 'notAnHttpsUrl'
  | 'notADate'
  | 'notATimeZone'
  | 'notALanguageTag'
  | 'notAPhoneNumber'
  | 'addedAndRemoved';

/** The language-free particulars of an ERR_ATTRIBUTE_INVALID (GatehouseError's `detail`). */
export interface AttributeInvalidDetail {
  /** The attribute's (or claim's) name. */
  readonly attribute: string;
  readonly rule: AttributeRule | ClaimRule;
  /** The bound broken: characters for too-long, items for too-many-items. */
  readonly limit?: number;
  /** The text refused, where the rule is about one value of several (a list item). */
  readonly value?: string;
  /** The only values allowed, for not-allowed. */
  readonly choices?: readonly (string | number)[];
}

/** ERR_ATTRIBUTE_INVALID with its English message (logs, CLI, management API) and its particulars for the pages. */
export const attributeInvalid = (message: string, detail: AttributeInvalidDetail) =>
  new GatehouseError('ERR_ATTRIBUTE_INVALID', message, { detail: { ...detail } });
