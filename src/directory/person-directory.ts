/**
 * What the protocol layer (src/oidc) needs to know about a person beyond their account row: the
 * roles and groups they hold, their values of the declared attributes, what their roles permit in
 * each API, and which custom scopes exist. Implemented by createPersonDirectory
 * (person-directory-service.ts) over the directory queries; the management API and admin console
 * call the same services.
 */
export interface PersonDirectoryEntry {
  /** Role names, sorted. */
  readonly roles: readonly string[];
  /** Group names, sorted. */
  readonly groups: readonly string[];
  /** Declared attribute name → the person's value (string, number, boolean or string list). */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

export type AttributeValue = string | number | boolean | readonly string[];

/** A custom OpenID scope and the claims it releases. */
export interface ClaimScopeDefinition {
  readonly name: string;
  readonly claims: readonly string[];
  readonly description: string;
}

export interface PersonDirectory {
  /** The person's roles, groups and attribute values (empty lists for an unknown account). */
  entryOf(accountId: string): Promise<PersonDirectoryEntry>;
  /**
   * The scopes of API `resource` that the person's roles permit. Only meaningful for an API with
   * RBAC on; the caller intersects it with the client's grant and the request.
   */
  permittedScopes(accountId: string, resource: string): Promise<ReadonlySet<string>>;
  /** Every custom scope, by name. */
  claimScopes(): Promise<readonly ClaimScopeDefinition[]>;
}
