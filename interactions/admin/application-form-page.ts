import { html, type SafeHtml } from '../views/html.js';
import type { AdminScreen } from './admin-screen.js';
import type { FieldErrors } from './form-fields.js';
import { CONSOLE_GRANT_TYPES, type ApplicationFormValues } from './application-form.js';
import { checkbox, choiceGroup, formError, linesField, textField } from './form-controls.js';

export interface ApplicationFormView {
  readonly values: ApplicationFormValues;
  readonly errors: FieldErrors;
  /** The APIs that can be granted (gatehouse resource list). */
  readonly apis: readonly string[];
}

const GRANT_HELP: Record<(typeof CONSOLE_GRANT_TYPES)[number], string> = {
  authorization_code: 'people sign in through the browser and the app gets a code (needs redirect URIs)',
  refresh_token: 'the app keeps access without asking again (needs offline_access at sign-in)',
  client_credentials: 'the app gets tokens for itself, with no person (a service or a batch job)',
};

/**
 * The settings the create and edit forms share (all but the name), each with what it means. On an
 * edit, only what `client update` changes: browser origins for a public app alone, and no
 * back-channel logout URI (set when the application is made).
 */
export function sharedFields(view: ApplicationFormView, editing = false): SafeHtml {
  const { values, errors } = view;
  const origins = !editing || values.authMethod === 'none';
  return html`${linesField({
    name: 'redirect_uris',
    label: 'Redirect URIs (one per line)',
    value: values.redirectUris,
    errors,
    help: 'Where people come back after signing in, matched exactly. https, except http://localhost, 127.0.0.1 and [::1] while developing.',
  })}
${linesField({
  name: 'post_logout_redirect_uris',
  label: 'Post-logout redirect URIs (one per line, optional)',
  value: values.postLogoutRedirectUris,
  errors,
  help: 'Where people may be sent after signing out from the app. Same https rule.',
})}
${choiceGroup({
  name: 'grant_types',
  label: 'Grant types',
  multiple: true,
  errors,
  chosen: values.grantTypes,
  choices: CONSOLE_GRANT_TYPES.map((g) => ({ value: g, label: g, help: GRANT_HELP[g] })),
})}
${checkbox({ name: 'first_party', label: 'First-party: our own application, so people are not asked to consent', checked: values.firstParty, errors })}
${choiceGroup({
  name: 'pkce',
  label: 'PKCE (RFC 7636)',
  errors,
  chosen: [values.pkce],
  choices: [
    {
      value: 'required',
      label: 'Required',
      help: 'every sign-in proves it was started by this app (recommended; always for public apps)',
    },
    {
      value: 'optional',
      label: 'Optional',
      help: 'only for a confidential app that cannot send it (mod_auth_openidc without S256)',
    },
  ],
})}
${choiceGroup({
  name: 'mfa',
  label: 'Second factor at sign-in',
  errors,
  chosen: [values.mfa],
  choices: [
    { value: 'default', label: 'As the server says', help: 'follow MFA_POLICY' },
    { value: 'off', label: 'Never' },
    { value: 'adaptive', label: 'When a sign-in looks risky', help: 'new browser or network, failed attempts' },
    { value: 'always', label: 'Always', help: 'people without an authenticator set one up' },
  ],
})}
${
  origins
    ? linesField({
        name: 'allowed_origins',
        label: 'Browser origins (public apps only, one per line, optional)',
        value: values.allowedOrigins,
        errors,
        help: 'Where a single-page app may call the token endpoint from (CORS). Empty: its redirect URIs’ origins.',
      })
    : ''
}
${textField({ name: 'logo_uri', label: 'Logo URL (optional)', value: values.links.logo_uri, errors, help: 'An https image shown on the consent page.' })}
${textField({ name: 'client_uri', label: 'Home page (optional)', value: values.links.client_uri, errors, help: 'https; linked from the consent page, as are the two below.' })}
${textField({ name: 'policy_uri', label: 'Privacy policy URL (optional)', value: values.links.policy_uri, errors })}
${textField({ name: 'tos_uri', label: 'Terms of service URL (optional)', value: values.links.tos_uri, errors })}
${editing ? '' : textField({ name: 'backchannel_logout_uri', label: 'Back-channel logout URI (optional)', value: values.backchannelLogoutUri, errors, help: 'Told when a person’s session ends here (OIDC Back-Channel Logout).' })}`;
}

/** Create an application: the same choices as `gatehouse client add`, each explained. */
export function applicationCreatePage(view: ApplicationFormView): AdminScreen {
  const { values, errors } = view;
  return {
    title: 'New application',
    section: 'applications',
    body: html`<p class="lead">An application is an OAuth client: a website, a mobile app or a service that signs people in here or gets tokens for an API.</p>
${formError(errors)}
<form method="post" action="/admin/applications" novalidate>
${textField({ name: 'name', label: 'Name', value: values.name, required: true, errors, help: 'Shown to people on the consent screen and in their account.' })}
${choiceGroup({
  name: 'auth_method',
  label: 'Public or confidential',
  errors,
  chosen: [values.authMethod],
  choices: [
    {
      value: 'client_secret_basic',
      label: 'Confidential, secret in the Authorization header',
      help: 'a server-side web app; gets a secret, shown once',
    },
    {
      value: 'client_secret_post',
      label: 'Confidential, secret in the form body',
      help: 'for software that cannot send Basic authentication',
    },
    {
      value: 'private_key_jwt',
      label: 'Confidential, signed with its own key',
      help: 'needs the URL of its public keys below',
    },
    { value: 'none', label: 'Public', help: 'a single-page or mobile app that cannot keep a secret' },
  ],
})}
${textField({ name: 'jwks_uri', label: 'Public keys URL (private_key_jwt only)', value: values.jwksUri, errors })}
${choiceGroup({
  name: 'application_type',
  label: 'Application type',
  errors,
  chosen: [values.applicationType],
  choices: [
    { value: 'web', label: 'Web', help: 'redirect URIs match exactly, port included' },
    {
      value: 'native',
      label: 'Native',
      help: 'a desktop or mobile app: loopback redirects on any port, private-use schemes',
    },
  ],
})}
${sharedFields(view)}
${
  view.apis.length
    ? choiceGroup({
        name: 'resources',
        label: 'APIs it may ask tokens for (each with all of its scopes; narrow them later)',
        multiple: true,
        errors,
        chosen: values.resources,
        choices: view.apis.map((api) => ({ value: api, label: api })),
      })
    : html`<p class="muted">No API is registered yet: grant access to one later, on the application’s page.</p>`
}
<div class="actions"><button type="submit">Create application</button></div>
</form>`,
  };
}
