import Provider, { errors, type Adapter, type AdapterFactory, type AdapterPayload } from 'oidc-provider';
import type { LiveRecord, OidcRecordQueries } from '../db/oidc-record-queries.js';
import { uncachedClients, type ClientRecordCache } from './client-record-cache.js';
import { createPrefetchedGrants } from './prefetched-grants.js';
import type { Clock } from '../kernel/clock.js';

/** Models listed per account in the console and the CLI (sessions, connected apps). */
const ACCOUNT_INDEXED = new Set(['Session', 'Grant']);
const CODE = 'AuthorizationCode';
const GRANT = 'Grant';
/**
 * A device code's record outlives the code by this much: the provider then still finds it and
 * answers the device's late polls `expired_token` and the person's late code "expired" (RFC 8628
 * §3.5), where a record gone at expiry would read as an unknown code (`invalid_grant`). The provider
 * checks the code's own `exp`, so nothing is accepted late.
 */
export const DEVICE_CODE_AFTERLIFE_SECONDS = 10 * 60;

function parse(record: { payload: string; consumedAt: Date | null } | null): AdapterPayload | undefined {
  if (!record) return undefined;
  const payload = JSON.parse(record.payload) as AdapterPayload;
  return record.consumedAt ? { ...payload, consumed: Math.floor(record.consumedAt.getTime() / 1000) } : payload;
}

/**
 * oidc-provider's storage contract on Prisma (see oidc-provider's example/my_adapter.js):
 * one adapter per model, `find*` return nothing for missing or expired records. Clients, looked up
 * on every token request, are found through `clients` (client-record-cache.ts).
 *
 * A spent authorization code's record is kept `spentCodeSeconds` past its use (the longest any
 * token issued from it can live), not just its own 60 s, so that its replay is recognised as long as
 * there is anything to revoke (RFC 6749 §4.1.2: deny, and revoke what the code issued).
 */
export function createPrismaAdapter(
  records: OidcRecordQueries,
  clock: Clock,
  clients: ClientRecordCache = uncachedClients,
  spentCodeSeconds = 0,
): AdapterFactory {
  const now = () => new Date(clock());
  // A cached client record is parsed once: the same properties object for as long as the cache
  // holds that record, which lets provider-overrides.ts reuse the Client built from it.
  const parsedClients = new WeakMap<LiveRecord, AdapterPayload>();
  const parseClient = (record: LiveRecord | null) => {
    if (!record) return undefined;
    let payload = parsedClients.get(record);
    if (!payload) parsedClients.set(record, (payload = parse(record) as AdapterPayload));
    return payload;
  };

  // A code, refresh token or access token read with its grant, for the look-up of it that follows.
  const prefetched = createPrefetchedGrants();
  const findLive = async (model: string, id: string, at: Date): Promise<LiveRecord | null> => {
    if (model === GRANT) {
      const taken = prefetched.take(id, at);
      if (taken) return taken.grant;
    }
    const request = prefetched.requestFor(model);
    if (!request) return records.findLive(model, id, at);
    // The grantId column is the payload's (upsert writes it from there): no second parse of the payload.
    const { record, grantId, grant } = await records.findLiveWithGrant(model, id, at);
    if (grantId !== null) prefetched.keep(request, grantId, grant);
    return record;
  };

  return (model: string): Adapter => ({
    async upsert(id, payload, expiresIn) {
      if (model === GRANT) prefetched.forget();
      await records.upsert({
        model,
        id,
        payload: JSON.stringify(payload),
        grantId: payload.grantId ?? null,
        userCode: payload.userCode ?? null,
        uid: payload.uid ?? null,
        accountId: ACCOUNT_INDEXED.has(model) ? (payload.accountId ?? null) : null,
        expiresAt: expiresIn
          ? new Date(clock() + (expiresIn + (model === 'DeviceCode' ? DEVICE_CODE_AFTERLIFE_SECONDS : 0)) * 1000)
          : null,
      });
    },

    async find(id) {
      const at = now();
      if (model === 'Client') return parseClient(await clients.find(id, at, () => records.findLive(model, id, at)));
      const found = parse(await findLive(model, id, at));
      // A spent code presented after its own lifetime: the provider checks expiry before reuse and
      // would only answer "expired", revoking nothing. The only caller is the token endpoint, so this
      // is a replay; end the grant here, as the provider does for one within the lifetime, and, as it
      // does, only when the client that presents it is the one the code was issued to (another
      // client's replay is refused without touching the grant: lib/actions/grants/authorization_code.js).
      const presenter = (Provider.ctx as { oidc?: { client?: { clientId?: string } } } | undefined)?.oidc?.client
        ?.clientId;
      if (
        model === CODE &&
        found?.consumed &&
        typeof found.exp === 'number' &&
        found.exp * 1000 <= at.getTime() &&
        found.grantId &&
        (presenter === undefined || presenter === found.clientId)
      ) {
        prefetched.forget();
        await records.destroyGrant(found.grantId);
      }
      return found;
    },

    async findByUid(uid) {
      return parse(await records.findLiveBy(model, 'uid', uid, now()));
    },

    async findByUserCode(userCode) {
      return parse(await records.findLiveBy(model, 'userCode', userCode, now()));
    },

    async consume(id) {
      const at = now();
      const keepUntil = model === CODE ? new Date(at.getTime() + spentCodeSeconds * 1000) : at;
      if (await records.markConsumed(model, id, at, keepUntil)) return;
      // Lost a race with a concurrent use of the same code or token: oidc-provider read it as
      // unconsumed a moment ago. Treat it as the replay it is (RFC 6749 §4.1.2, RFC 9700 §4.14.2):
      // refuse, and revoke what the winner was issued by ending the grant.
      const row = await records.grantIdOf(model, id);
      prefetched.forget();
      if (row?.grantId) await records.destroyGrant(row.grantId);
      throw new errors.InvalidGrant(`${model} already consumed`);
    },

    async destroy(id) {
      if (model === GRANT) prefetched.forget();
      await records.destroy(model, id);
    },

    async revokeByGrantId(grantId) {
      prefetched.forget();
      await records.destroyByGrantId(model, grantId);
    },
  });
}
