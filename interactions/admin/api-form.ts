import {
  MAX_ACCESS_TOKEN_TTL,
  MIN_ACCESS_TOKEN_TTL,
  TOKEN_CLAIMS,
  TOKEN_FORMATS,
  type NewResource,
  type Resource,
  type ResourceChanges,
  type TokenFormat,
} from '../../src/resources/resource-service.js';
import { ACCESS_TOKEN_TTL } from '../../src/kernel/token-lifetimes.js';
import { choiceOf, linesOf, textOf, valuesOf, type FieldErrors, type PostedForm } from './form-fields.js';

/** What the API form shows, as typed (or stored). */
export interface ApiFormValues {
  readonly identifier: string;
  readonly scope: string;
  readonly tokenFormat: string;
  readonly ttl: string;
  readonly rbac: boolean;
  readonly tokenClaims: readonly string[];
}

export const NEW_API: ApiFormValues = {
  identifier: '',
  scope: '',
  tokenFormat: 'jwt',
  ttl: String(ACCESS_TOKEN_TTL),
  rbac: false,
  tokenClaims: [],
};

export const apiFormValuesOf = (r: Resource): ApiFormValues => ({
  identifier: r.identifier,
  scope: r.scopes.join(' '),
  tokenFormat: r.tokenFormat,
  ttl: String(r.accessTokenTtl),
  rbac: r.rbac,
  tokenClaims: r.tokenClaims,
});

export type ParsedApiForm<T> =
  | { readonly ok: true; readonly value: T; readonly typed: ApiFormValues }
  | { readonly ok: false; readonly errors: FieldErrors; readonly typed: ApiFormValues };

/** The settings both forms share; each problem next to its field. */
function readSettings(form: PostedForm, errors: FieldErrors, base: ApiFormValues): ApiFormValues {
  const scope = textOf(form, 'scope');
  const tokenFormat = textOf(form, 'token_format');
  const ttl = textOf(form, 'ttl', 20);
  const claims = valuesOf(form, 'token_claims');
  const typed: ApiFormValues = {
    ...base,
    scope: scope ?? '',
    tokenFormat: tokenFormat ?? base.tokenFormat,
    ttl: ttl ?? '',
    rbac: form.rbac === 'on',
    tokenClaims: claims ?? [],
  };
  if (!scope || linesOf(scope).length === 0) errors.scope = 'Name at least one scope, for example read:invoices.';
  if (!choiceOf(tokenFormat, TOKEN_FORMATS)) errors.token_format = 'Choose jwt or opaque.';
  const seconds = Number(ttl);
  if (!ttl || !/^\d+$/.test(ttl) || seconds < MIN_ACCESS_TOKEN_TTL || seconds > MAX_ACCESS_TOKEN_TTL)
    errors.ttl = `A whole number of seconds from ${MIN_ACCESS_TOKEN_TTL} to ${MAX_ACCESS_TOKEN_TTL}.`;
  if (!claims || claims.some((c) => !(TOKEN_CLAIMS as readonly string[]).includes(c)))
    errors.token_claims = `Choose among ${TOKEN_CLAIMS.join(', ')}.`;
  return typed;
}

export function readNewApi(form: PostedForm): ParsedApiForm<NewResource> {
  const errors: FieldErrors = {};
  const identifier = textOf(form, 'identifier', 500);
  const typed = readSettings(form, errors, { ...NEW_API, identifier: identifier ?? '' });
  if (!identifier) errors.identifier = 'Give the API’s URL, for example https://api.example.com.';
  else if (!URL.canParse(identifier)) errors.identifier = `${identifier} is not an absolute URL.`;
  if (Object.keys(errors).length) return { ok: false, errors, typed };
  return {
    ok: true,
    typed,
    value: {
      identifier: typed.identifier,
      scope: linesOf(typed.scope).join(' '),
      tokenFormat: typed.tokenFormat as TokenFormat,
      accessTokenTtl: Number(typed.ttl),
      rbac: typed.rbac,
      tokenClaims: typed.tokenClaims,
    },
  };
}

/** The edit form; the built-in management API takes only its lifetime (the service refuses the rest). */
export function readApiChanges(form: PostedForm, current: Resource, builtIn: boolean): ParsedApiForm<ResourceChanges> {
  const errors: FieldErrors = {};
  const stored = apiFormValuesOf(current);
  const typed = builtIn
    ? readSettings(
        {
          ...form,
          scope: stored.scope,
          token_format: stored.tokenFormat,
          rbac: stored.rbac ? 'on' : undefined,
          token_claims: stored.tokenClaims,
        },
        errors,
        stored,
      )
    : readSettings(form, errors, stored);
  if (Object.keys(errors).length) return { ok: false, errors, typed };
  return {
    ok: true,
    typed,
    value: builtIn
      ? { accessTokenTtl: Number(typed.ttl) }
      : {
          scope: linesOf(typed.scope).join(' '),
          tokenFormat: typed.tokenFormat as TokenFormat,
          accessTokenTtl: Number(typed.ttl),
          rbac: typed.rbac,
          tokenClaims: typed.tokenClaims,
        },
  };
}

/** Which field a refusal of the resource service (ERR_RESOURCE_INVALID/EXISTS) concerns. */
export function fieldOfApiRefusal(message: string): string {
  const m = message.toLowerCase();
  if (m.includes('identifier') || m.includes('already exists')) return 'identifier';
  if (m.includes('ttl')) return 'ttl';
  if (m.includes('token format')) return 'token_format';
  if (m.includes('token claim')) return 'token_claims';
  if (m.includes('scope')) return 'scope';
  return 'form';
}
