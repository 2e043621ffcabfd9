import Provider from 'oidc-provider';
import type { LiveRecord } from '../db/oidc-record-queries.js';

/**
 * The look-ups the provider follows at once with a look-up of the Grant the record names, by the
 * route that makes them: the token endpoint finds the authorization code or refresh token, then its grant
 * (lib/helpers/grant_source.js, validateGrant); userinfo finds the access token, then its grant
 * (lib/shared/access_token.js).
 */
const FOLLOWED_BY_GRANT: Readonly<Record<string, string>> = {
  AuthorizationCode: 'token',
  RefreshToken: 'token',
  AccessToken: 'userinfo',
};

interface RequestContext {
  oidc?: { route?: string };
}

/** The request being served: oidc-provider's own AsyncLocalStorage holds its context. */
const currentRequest = () => Provider.ctx as RequestContext | undefined;

/**
 * A grant read in the same statement as the record that names it (findLiveWithGrant), kept for the
 * one request that read it until the provider asks for that grant: one round trip instead of two.
 * Taken once, and dropped when the request writes a grant, so a second look-up, or one after a
 * change, reads the database. What it hands over was read a moment earlier than the provider's own
 * look-up would have, together with the record itself: the two as of one instant.
 */
export function createPrefetchedGrants() {
  const kept = new WeakMap<object, { readonly grantId: string; readonly grant: LiveRecord | null }>();
  return {
    /** The request a look-up of `model` should bring its grant for, if any. */
    requestFor(model: string): object | undefined {
      const request = currentRequest();
      const route = FOLLOWED_BY_GRANT[model];
      return request && route !== undefined && request.oidc?.route === route ? request : undefined;
    },

    keep(request: object, grantId: string, grant: LiveRecord | null): void {
      kept.set(request, { grantId, grant });
    },

    /**
     * The grant `id` kept for this request, once: `{ grant }` (null when it was gone, or has
     * expired by `now`), or undefined when none was kept and it must be looked up.
     */
    take(id: string, now: Date): { grant: LiveRecord | null } | undefined {
      const request = currentRequest();
      const slot = request && kept.get(request);
      if (!request || !slot || slot.grantId !== id) return undefined;
      kept.delete(request);
      const live = slot.grant && (slot.grant.expiresAt === null || slot.grant.expiresAt > now);
      return { grant: live ? slot.grant : null };
    },

    /** This request changed a grant: whatever it kept is no longer what the database holds. */
    forget(): void {
      const request = currentRequest();
      if (request) kept.delete(request);
    },
  };
}
