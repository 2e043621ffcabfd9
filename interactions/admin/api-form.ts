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
  /** What people see for the API on consent and among their connected apps. */
  readonly name: string;
  /** One `scope = description` a line. */
  readonly scopeDescriptions: string;
}

export const NEW_API: ApiFormValues = {
  identifier: '',
  scope: '',
  tokenFormat: 'jwt',
  ttl: String(ACCESS_TOKEN_TTL),
  rbac: false,
  tokenClaims: [],
  name: '',
  scopeDescriptions: '',
};

export const apiFormValuesOf = (r: Resource): ApiFormValues => ({
  identifier: r.identifier,
  scope: r.scopes.join(' '),
  tokenFormat: r.tokenFormat,
  ttl: String(r.accessTokenTtl),
  rbac: r.rbac,
  tokenClaims: r.tokenClaims,
  name: r.name ?? '',
  scopeDescriptions: Object.entries(r.scopeDescriptions)
    .map(([scope, text]) => `${scope} = ${text}`)
    .join('\n'),
});

/** `read = Read your notes`, a line each, as scope → description; undefined when a line has no `=`. */
function descriptionsOf(text: string): Record<string, string> | undefined {
  const entries: [string, string][] = [];
  for (const line of text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const eq = line.indexOf('=');
    if (eq <= 0) return undefined;
    entries.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return Object.fromEntries(entries);
}

export type ParsedApiForm<T> =
  | { readonly ok: true; readonly value: T; readonly typed: ApiFormValues }
  | { readonly ok: false; readonly errors: FieldErrors; readonly typed: ApiFormValues };

/** The settings both forms share; each problem next to its field. */
function readSettings(form: PostedForm, errors: FieldErrors, base: ApiFormValues): ApiFormValues {
  const scope = textOf(form, 'scope');
  const tokenFormat = textOf(form, 'token_format');
  const ttl = textOf(form, 'ttl', 20);
  const claims = valuesOf(form, 'token_claims');
  const name = textOf(form, 'name', 200) ?? '';
  const scopeDescriptions = textOf(form, 'scope_descriptions', 20_000) ?? '';
  const typed: ApiFormValues = {
    ...base,
    scope: scope ?? '',
    tokenFormat: tokenFormat ?? base.tokenFormat,
    ttl: ttl ?? '',
    rbac: form.rbac === 'on',
    tokenClaims: claims ?? [],
    name,
    scopeDescriptions,
  };
  if (name.length > 100) errors.name = 'At most 100 characters.';
  if (!descriptionsOf(scopeDescriptions))
    errors.scope_descriptions = 'One scope a line, then = and what it lets an app do: read = Read your notes.';
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
      name: typed.name,
      scopeDescriptions: descriptionsOf(typed.scopeDescriptions),
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
          scope_descriptions: form.scope_descriptions ?? stored.scopeDescriptions,
        },
        errors,
        stored,
      )
    : readSettings(form, errors, stored);
  if (Object.keys(errors).length) return { ok: false, errors, typed };
  // The form shows every description: one no longer listed is removed ("" removes, the rest merge).
  const given = descriptionsOf(typed.scopeDescriptions) ?? {};
  const scopeDescriptions = {
    ...Object.fromEntries(Object.keys(current.scopeDescriptions).map((scope) => [scope, ''])),
    ...given,
  };
  const words = { name: typed.name, scopeDescriptions };
  return {
    ok: true,
    typed,
    value: builtIn
      ? { accessTokenTtl: Number(typed.ttl), ...words }
      : {
          scope: linesOf(typed.scope).join(' '),
          tokenFormat: typed.tokenFormat as TokenFormat,
          accessTokenTtl: Number(typed.ttl),
          rbac: typed.rbac,
          tokenClaims: typed.tokenClaims,
          ...words,
        },
  };
}

/** Which field a refusal of the resource service (ERR_RESOURCE_INVALID/EXISTS) concerns. */
export function fieldOfApiRefusal(message: string): string {
  const m = message.toLowerCase();
  if (m.includes('identifier') || m.includes('already exists')) return 'identifier';
  if (m.includes('ttl')) return 'ttl';
  if (m.includes('scope description')) return 'scope_descriptions';
  if (m.startsWith('name')) return 'name';
  if (m.includes('token format')) return 'token_format';
  if (m.includes('token claim')) return 'token_claims';
  if (m.includes('scope')) return 'scope';
  return 'form';
}
