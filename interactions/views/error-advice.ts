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

const RETURN_AND_RESTART = 'Return to the app you came from and start again.';
const ASK_THE_OWNER =
  "There is nothing wrong with your account. Contact the app's owner: the app's setup needs to be fixed.";

/**
 * Plain words for the OAuth 2 / OpenID Connect error codes a browser can be shown (RFC 6749 §4.1.2.1,
 * OIDC Core §3.1.2.6, RFC 8707 §2, RFC 9126 §2.3) and for our own (session_not_found, not_found):
 * the raw error_description is written for developers and never stands alone on a page.
 */
const ADVICE: Readonly<Record<string, Omit<ErrorAdvice, 'details'> & { details?: boolean }>> = {
  invalid_client: {
    heading: 'This app is not registered here',
    happened: 'The app that sent you here is not registered with {product}, so it cannot sign you in.',
    todo: ASK_THE_OWNER,
  },
  invalid_redirect_uri: {
    heading: 'This app asked to send you somewhere it has not registered',
    happened:
      'For your safety, {product} only sends you back to the addresses the app registered, and this was not one.',
    todo: ASK_THE_OWNER,
  },
  unauthorized_client: {
    heading: 'This app may not sign you in this way',
    happened: 'The app asked for a kind of sign-in it is not allowed to use.',
    todo: ASK_THE_OWNER,
  },
  unsupported_response_type: {
    heading: 'This app asked for something {product} does not offer',
    happened: 'The app asked to sign you in in a way {product} does not support.',
    todo: ASK_THE_OWNER,
  },
  invalid_scope: {
    heading: 'This app asked for access it cannot have',
    happened: 'The app asked for permissions that do not exist here or that it may not ask for.',
    todo: ASK_THE_OWNER,
  },
  invalid_target: {
    heading: 'This app asked for access to an unknown service',
    happened: 'The app asked for access to a service that is not registered with {product}.',
    todo: ASK_THE_OWNER,
  },
  invalid_request: {
    heading: 'This request cannot be completed',
    happened: 'The request that brought you here was incomplete or not valid.',
    todo: `${RETURN_AND_RESTART} If it happens again, contact the app's owner.`,
    details: true,
  },
  invalid_request_object: {
    heading: 'This request cannot be completed',
    happened: 'The app sent a sign-in request that could not be read or checked.',
    todo: ASK_THE_OWNER,
  },
  invalid_request_uri: {
    heading: 'This sign-in link has expired',
    happened: 'The link the app sent you with is no longer valid.',
    todo: RETURN_AND_RESTART,
  },
  request_not_supported: {
    heading: 'This app asked for something {product} does not offer',
    happened: 'The app sent its sign-in request in a form {product} does not accept.',
    todo: ASK_THE_OWNER,
  },
  request_uri_not_supported: {
    heading: 'This app asked for something {product} does not offer',
    happened: 'The app sent its sign-in request in a form {product} does not accept.',
    todo: ASK_THE_OWNER,
  },
  access_denied: {
    heading: 'Access was not given',
    happened: 'The app did not get access to your account: the request was declined.',
    todo: 'If you meant to allow it, return to the app you came from and start again.',
  },
  login_required: {
    heading: 'You need to sign in',
    happened: 'The app tried to sign you in without showing a page, but you are not signed in here.',
    todo: 'Return to the app you came from and choose to sign in.',
  },
  consent_required: {
    heading: 'The app needs your permission',
    happened: 'The app tried to continue without asking you, but it needs your permission first.',
    todo: 'Return to the app you came from and sign in again: you will be asked.',
  },
  interaction_required: {
    heading: 'The app needs you to take a step',
    happened: 'The app tried to continue without showing a page, but a page is needed.',
    todo: 'Return to the app you came from and sign in again.',
  },
  account_selection_required: {
    heading: 'Choose an account',
    happened: 'The app could not tell which account to use without asking you.',
    todo: 'Return to the app you came from and sign in again.',
  },
  unmet_authentication_requirements: {
    heading: 'This app needs a stronger sign-in',
    happened: 'The app asked for a kind of sign-in your account cannot give yet.',
    todo: "Set up two-step verification in your account, then return to the app and start again. If that does not help, contact the app's owner.",
  },
  session_not_found: {
    heading: 'This sign-in has expired',
    happened: 'The sign-in page was open too long, or it was opened in another browser.',
    todo: RETURN_AND_RESTART,
  },
  not_found: {
    heading: 'Page not found',
    happened: 'There is no page at this address.',
    todo: 'Check the address, or go to your account.',
  },
  temporarily_unavailable: {
    heading: '{product} is busy',
    happened: '{product} cannot answer this request right now.',
    todo: 'Wait a moment and try again.',
  },
  server_error: {
    heading: 'Something went wrong on our side',
    happened: 'An unexpected error stopped this request. It has been logged.',
    todo: 'Try again in a few minutes. If it keeps happening, contact the administrator of this server.',
    details: false,
  },
};

/** The advice for `code` under `product` (the operator's product name), or undefined for a code we have no words for. */
export function errorAdvice(code: string, product: string): ErrorAdvice | undefined {
  const entry = Object.hasOwn(ADVICE, code) ? ADVICE[code] : undefined;
  if (!entry) return undefined;
  const fill = (text: string) => text.replaceAll('{product}', product);
  return {
    heading: fill(entry.heading),
    happened: fill(entry.happened),
    todo: fill(entry.todo),
    details: entry.details ?? code !== 'server_error',
  };
}

/** The codes the map has words for (the tests walk every one). */
export const ADVISED_ERROR_CODES: readonly string[] = Object.keys(ADVICE);
