import type { MessageKey } from '../src/i18n/message-catalogue.js';
import { formatList, t } from './page/translate.js';

/**
 * What each standard scope lets an app do, in words a person can judge (OIDC Core §5.4); the
 * words are the page language's (src/i18n/catalogues, `scope.*`).
 */
const SCOPE_TEXT: Readonly<Record<string, MessageKey>> = {
  openid: 'scope.openid',
  email: 'scope.email',
  roles: 'scope.roles',
  groups: 'scope.groups',
  offline_access: 'scope.offline_access',
};

/** The profile scope's claims (OIDC Core §5.4) as a person names them; several claims can be one thing (a name). */
const PROFILE_WORDS: ReadonlyArray<readonly [claim: string, words: MessageKey]> = [
  ['name', 'scope.word.name'],
  ['given_name', 'scope.word.name'],
  ['family_name', 'scope.word.name'],
  ['middle_name', 'scope.word.name'],
  ['nickname', 'scope.word.nickname'],
  ['preferred_username', 'scope.word.username'],
  ['picture', 'scope.word.picture'],
  ['profile', 'scope.word.profile'],
  ['website', 'scope.word.website'],
  ['gender', 'scope.word.gender'],
  ['birthdate', 'scope.word.birthdate'],
  ['zoneinfo', 'scope.word.zoneinfo'],
  ['locale', 'scope.word.locale'],
];

const CLAIM_TEXT: Readonly<Record<string, MessageKey>> = {
  name: 'scope.claim.name',
  email: 'scope.claim.email',
  email_verified: 'scope.claim.email_verified',
  phone_number: 'scope.claim.phone_number',
};

function textOf(keys: Readonly<Record<string, MessageKey>>, name: string): string | undefined {
  const key = Object.hasOwn(keys, name) ? keys[name] : undefined;
  return key && t(key);
}

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
      if (!personClaims) return t('scope.profile.any');
      const held = [...new Set(PROFILE_WORDS.filter(([claim]) => has(claim)).map(([, key]) => t(key)))];
      return held.length ? t('scope.profile.held', { details: formatList(held) }) : t('scope.profile.none');
    }
    if (scope === 'phone') return has('phone_number') ? t('scope.phone.held') : t('scope.phone.none');
    // The operator's own descriptions stay as the operator wrote them.
    return (
      textOf(SCOPE_TEXT, scope) ??
      (Object.hasOwn(customScopes, scope) ? customScopes[scope] : undefined) ??
      t('scope.custom', { scope })
    );
  };
  const describeResourceScope = (resource: string, scope: string): string => {
    const api = Object.hasOwn(resources, resource) ? resources[resource] : undefined;
    const description = api && Object.hasOwn(api.scopeDescriptions, scope) ? api.scopeDescriptions[scope] : undefined;
    if (api?.name)
      return description
        ? t('scope.api.described', { api: api.name, description })
        : t('scope.api.use', { api: api.name, scope });
    return description
      ? t('scope.api.described', { api: resource, description })
      : t('scope.api.useOn', { scope, resource });
  };
  const lines = [
    ...(details.missingOIDCScope ?? []).map(describeScope),
    ...(details.missingOIDCClaims ?? [])
      .filter(has)
      .map((claim) => textOf(CLAIM_TEXT, claim) ?? t('scope.claim.other', { claim })),
    ...Object.entries(details.missingResourceScopes ?? {}).flatMap(([resource, scopes]) =>
      scopes.map((scope) => describeResourceScope(resource, scope)),
    ),
  ];
  return [...new Set(lines)];
}
