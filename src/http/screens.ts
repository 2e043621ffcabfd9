/** What an error page shows: a title, the OAuth-style error code and a sentence for people. */
export interface ErrorView {
  readonly title?: string;
  readonly error: string;
  readonly description?: string;
  /**
   * The description is an OAuth error_description (oidc-provider's): written for the app's
   * developer (RFC 6749 §4.1.2.1) and in English whatever the page's language, so the page labels
   * it for them and marks its language. Otherwise it is ours, in the page's language.
   */
  readonly forDeveloper?: boolean;
}

/**
 * The pages the protocol core shows but does not own. The UI layer (interactions/) provides them
 * and the composition root (src/boot/container.ts) passes them in, so nothing under src/ imports the UI.
 */
export interface Screens {
  errorPage(view: ErrorView): string;
  /** The RP-Initiated Logout confirmation; `form` is oidc-provider's form carrying its XSRF token. */
  logoutConfirmPage(form: string, clientName?: string): string;
  logoutSuccessPage(clientName?: string): string;
  /** The device flow's pages (RFC 8628 §3.3): the code, a code that came in a link, and the end. */
  deviceCodePage(view: DeviceCodeView): string;
  deviceConfirmPage(view: DeviceConfirmView): string;
  deviceDonePage(view: DeviceDoneView): string;
}

/** Why a typed device code was refused: the provider's error name, or our two own cases. */
export type DeviceCodeProblem =
  'NoCodeError' | 'NotFoundError' | 'ExpiredError' | 'AlreadyUsedError' | 'unchecked' | 'stale' | 'throttled';

export interface DeviceCodeView {
  /** The provider's code_verification URL, where the form posts. */
  readonly action: string;
  /** The provider's anti-CSRF secret for this browser; without it the page offers a fresh start. */
  readonly xsrf?: string;
  /** What the person typed, shown again beside the problem. */
  readonly code?: string;
  /** Why the code was refused, in words a person can act on. */
  readonly problem?: string;
  /** The same reason by name, for a page that words it in the person's language (`problem` otherwise). */
  readonly problemKind?: DeviceCodeProblem;
  /** With `throttled`: the Retry-After sent, for the page to say the same wait. */
  readonly retryAfterSeconds?: number;
  readonly notice?: string;
}

export interface DeviceConfirmView {
  readonly action: string;
  readonly xsrf: string;
  readonly userCode: string;
  readonly clientName: string;
}

export interface DeviceDoneView {
  readonly clientName?: string;
  readonly approved: boolean;
}
