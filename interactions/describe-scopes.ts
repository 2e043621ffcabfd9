/** What each scope lets an app do, in words a person can judge (OIDC Core §5.4 for the standard ones). */
const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are (a stable identifier for your account)',
  email: 'See your email address and whether it is verified',
  roles: 'See the roles you hold',
  groups: 'See the groups you belong to',
  offline_access: 'Stay connected to your account when you are not using it',
};

/** The profile scope's claims (OIDC Core §5.4) as a person names them; several claims can be one thing (a name). */
const PROFILE_WORDS: ReadonlyArray<readonly [claim: string, words: string]> = [
  ['name', 'name'],
  ['given_name', 'name'],
  ['family_name', 'name'],
  ['middle_name', 'name'],
  ['nickname', 'nickname'],
  ['preferred_username', 'username'],
  ['picture', 'picture'],
  ['profile', 'profile page'],
  ['website', 'website'],
  ['gender', 'gender'],
  ['birthdate', 'date of birth'],
  ['zoneinfo', 'time zone'],
  ['locale', 'language'],
];

const CLAIM_TEXT: Record<string, string> = {
  name: 'See your name',
  email: 'See your email address',
  email_verified: 'See whether your email address is verified',
  phone_number: 'See your phone number',
};

/** "a", "a and b", "a, b and c". */
const listOf = (words: readonly string[]) =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

export interface MissingConsent {
  readonly missingOIDCScope?: string[];
  readonly missingOIDCClaims?: string[];
  readonly missingResourceScopes?: Record<string, string[]>;
}

/** An API as people see it (`gatehouse resource add|update --name --scope-description`). */
export interface ResourceWords {
  readonly name?: string;
  readonly scopeDescriptions: Readonly<Record<string, string>>;
}

export interface ScopeWords {
  /** The operator's own claim scopes (`gatehouse scope add --description`), by name. */
  readonly customScopes?: Readonly<Record<string, string>>;
  /** The APIs asked for, by identifier; an API not here is shown by its identifier and scope names. */
  readonly resources?: Readonly<Record<string, ResourceWords>>;
  /**
   * The claims the person has a value for: the lines then say what the app will actually get
   * ("See your name" only for a person with a name). Absent: what the scope can release.
   */
  readonly personClaims?: ReadonlySet<string>;
}

/**
 * The lines for what an app asks (consent) or holds (the account console's connected apps):
 * standard scopes in plain words, shaped by the claims the person has; the operator's claim scopes
 * by their descriptions; an API's scopes as "Notes API: Read your notes", falling back to the
 * identifier and the scope's name when the API has no name or the scope no description.
 */
export function describeConsent(details: MissingConsent, words: ScopeWords = {}): string[] {
  const { customScopes = {}, resources = {}, personClaims } = words;
  const has = (claim: string) => !personClaims || personClaims.has(claim);
  const describeScope = (scope: string): string => {
    if (scope === 'profile') {
      if (!personClaims)
        return 'See your name and the profile details you have (such as picture, language and time zone)';
      const held = [...new Set(PROFILE_WORDS.filter(([claim]) => has(claim)).map(([, text]) => text))];
      return held.length
        ? `See your ${listOf(held)}`
        : 'See your profile details (you have none yet, so the app gets none now)';
    }
    if (scope === 'phone')
      return has('phone_number')
        ? 'See your phone number and whether it is verified'
        : 'See your phone number (you have none yet, so the app gets none now)';
    return (
      SCOPE_TEXT[scope] ??
      (Object.hasOwn(customScopes, scope) ? customScopes[scope] : undefined) ??
      `Use the "${scope}" permission`
    );
  };
  const describeResourceScope = (resource: string, scope: string): string => {
    const api = Object.hasOwn(resources, resource) ? resources[resource] : undefined;
    const description = api && Object.hasOwn(api.scopeDescriptions, scope) ? api.scopeDescriptions[scope] : undefined;
    if (api?.name) return `${api.name}: ${description ?? `Use "${scope}"`}`;
    return description ? `${resource}: ${description}` : `Use "${scope}" on ${resource}`;
  };
  const lines = [
    ...(details.missingOIDCScope ?? []).map(describeScope),
    ...(details.missingOIDCClaims ?? []).filter(has).map((claim) => CLAIM_TEXT[claim] ?? `See your "${claim}"`),
    ...Object.entries(details.missingResourceScopes ?? {}).flatMap(([resource, scopes]) =>
      scopes.map((scope) => describeResourceScope(resource, scope)),
    ),
  ];
  return [...new Set(lines)];
}
