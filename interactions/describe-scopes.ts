/** What each scope lets an app do, in words a person can judge. */
const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are (a stable identifier for your account)',
  profile: 'See your name and the profile details you have (such as picture, language and time zone)',
  email: 'See your email address and whether it is verified',
  phone: 'See your phone number and whether it is verified',
  roles: 'See the roles you hold',
  groups: 'See the groups you belong to',
  offline_access: 'Stay connected to your account when you are not using it',
};

const CLAIM_TEXT: Record<string, string> = {
  name: 'See your name',
  email: 'See your email address',
  email_verified: 'See whether your email address is verified',
};

export interface MissingConsent {
  readonly missingOIDCScope?: string[];
  readonly missingOIDCClaims?: string[];
  readonly missingResourceScopes?: Record<string, string[]>;
}

/**
 * The consent lines for what the app asks. `customScopes` are the operator's own scopes
 * (`gatehouse scope add --description`), by name: a person judges "See your department" more easily
 * than a scope name.
 */
export function describeConsent(
  details: MissingConsent,
  customScopes: Readonly<Record<string, string>> = {},
): string[] {
  const describeScope = (scope: string) =>
    SCOPE_TEXT[scope] ??
    (Object.hasOwn(customScopes, scope) ? customScopes[scope] : undefined) ??
    `Use the "${scope}" permission`;
  const lines = [
    ...(details.missingOIDCScope ?? []).map(describeScope),
    ...(details.missingOIDCClaims ?? []).map((claim) => CLAIM_TEXT[claim] ?? `See your "${claim}"`),
    ...Object.entries(details.missingResourceScopes ?? {}).flatMap(([resource, scopes]) =>
      scopes.map((scope) => `Use "${scope}" on ${resource}`),
    ),
  ];
  return [...new Set(lines)];
}
