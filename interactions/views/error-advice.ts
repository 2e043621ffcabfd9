import type { MessageKey } from '../../src/i18n/message-catalogue.js';
import { t } from '../page/translate.js';

/** What an error page says for one error code: a heading, what happened, and what the person can do. */
export interface ErrorAdvice {
  readonly heading: string;
  readonly happened: string;
  readonly todo: string;
  /**
   * Whether the error's own description is shown too, under "Details": for errors the app caused,
   * so the app's owner can fix it; never for server_error (its description is ours, not the app's).
   */
  readonly details: boolean;
}

/**
 * Plain words for the OAuth 2 / OpenID Connect error codes a browser can be shown (RFC 6749 §4.1.2.1,
 * OIDC Core §3.1.2.6, RFC 8707 §2, RFC 9126 §2.3) and for our own (session_not_found, not_found):
 * the raw error_description is written for developers and never stands alone on a page. The words
 * are the page language's (`error.*` in src/i18n/catalogues); `{product}` is the operator's name.
 */
const ADVICE: Readonly<
  Record<string, { heading: MessageKey; happened: MessageKey; todo: MessageKey; details?: boolean }>
> = {
  invalid_client: {
    heading: 'error.invalid_client.heading',
    happened: 'error.invalid_client.happened',
    todo: 'error.todo.askOwner',
  },
  invalid_redirect_uri: {
    heading: 'error.invalid_redirect_uri.heading',
    happened: 'error.invalid_redirect_uri.happened',
    todo: 'error.todo.askOwner',
  },
  unauthorized_client: {
    heading: 'error.unauthorized_client.heading',
    happened: 'error.unauthorized_client.happened',
    todo: 'error.todo.askOwner',
  },
  unsupported_response_type: {
    heading: 'error.unsupported_response_type.heading',
    happened: 'error.unsupported_response_type.happened',
    todo: 'error.todo.askOwner',
  },
  invalid_scope: {
    heading: 'error.invalid_scope.heading',
    happened: 'error.invalid_scope.happened',
    todo: 'error.todo.askOwner',
  },
  invalid_target: {
    heading: 'error.invalid_target.heading',
    happened: 'error.invalid_target.happened',
    todo: 'error.todo.askOwner',
  },
  invalid_request: {
    heading: 'error.invalid_request.heading',
    happened: 'error.invalid_request.happened',
    todo: 'error.todo.restartOrAskOwner',
    details: true,
  },
  invalid_request_object: {
    heading: 'error.invalid_request.heading',
    happened: 'error.invalid_request_object.happened',
    todo: 'error.todo.askOwner',
  },
  invalid_request_uri: {
    heading: 'error.invalid_request_uri.heading',
    happened: 'error.invalid_request_uri.happened',
    todo: 'error.todo.restart',
  },
  request_not_supported: {
    heading: 'error.unsupported_response_type.heading',
    happened: 'error.request_not_supported.happened',
    todo: 'error.todo.askOwner',
  },
  request_uri_not_supported: {
    heading: 'error.unsupported_response_type.heading',
    happened: 'error.request_not_supported.happened',
    todo: 'error.todo.askOwner',
  },
  access_denied: {
    heading: 'error.access_denied.heading',
    happened: 'error.access_denied.happened',
    todo: 'error.access_denied.todo',
  },
  login_required: {
    heading: 'error.login_required.heading',
    happened: 'error.login_required.happened',
    todo: 'error.login_required.todo',
  },
  consent_required: {
    heading: 'error.consent_required.heading',
    happened: 'error.consent_required.happened',
    todo: 'error.consent_required.todo',
  },
  interaction_required: {
    heading: 'error.interaction_required.heading',
    happened: 'error.interaction_required.happened',
    todo: 'error.todo.signInAgain',
  },
  account_selection_required: {
    heading: 'error.account_selection_required.heading',
    happened: 'error.account_selection_required.happened',
    todo: 'error.todo.signInAgain',
  },
  unmet_authentication_requirements: {
    heading: 'error.unmet_authentication_requirements.heading',
    happened: 'error.unmet_authentication_requirements.happened',
    todo: 'error.unmet_authentication_requirements.todo',
  },
  session_not_found: {
    heading: 'error.session_not_found.heading',
    happened: 'error.session_not_found.happened',
    todo: 'error.todo.restart',
  },
  not_found: { heading: 'error.not_found.heading', happened: 'error.not_found.happened', todo: 'error.not_found.todo' },
  temporarily_unavailable: {
    heading: 'error.temporarily_unavailable.heading',
    happened: 'error.temporarily_unavailable.happened',
    todo: 'error.temporarily_unavailable.todo',
  },
  server_error: {
    heading: 'error.server_error.heading',
    happened: 'error.server_error.happened',
    todo: 'error.server_error.todo',
    details: false,
  },
};

/** The advice for `code` under `product` (the operator's product name), or undefined for a code we have no words for. */
export function errorAdvice(code: string, product: string): ErrorAdvice | undefined {
  const entry = Object.hasOwn(ADVICE, code) ? ADVICE[code] : undefined;
  if (!entry) return undefined;
  return {
    heading: t(entry.heading, { product }),
    happened: t(entry.happened, { product }),
    todo: t(entry.todo, { product }),
    details: entry.details ?? code !== 'server_error',
  };
}

/** The codes the map has words for (the tests walk every one). */
export const ADVISED_ERROR_CODES: readonly string[] = Object.keys(ADVICE);
