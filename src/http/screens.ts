/** What an error page shows: a title, the OAuth-style error code and a sentence for people. */
export interface ErrorView {
  readonly title?: string;
  readonly error: string;
  readonly description?: string;
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
}
