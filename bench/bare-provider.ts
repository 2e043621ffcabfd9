// The ceiling `npm run bench` compares Gatehouse with: oidc-provider at the version the project
// pins, with nothing of ours around it: an in-memory Map adapter, one static client, two APIs
// (opaque and JWT access tokens), a sign-in that checks an argon2id hash of the same cost as
// Gatehouse's, and consent screens that look enough like ours for the bench's scripted browser.
// Run as its own process (pinned with taskset by bench/run.ts); prints `ready <port>` when listening.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import argon2 from 'argon2';
import Provider, {
  type Adapter,
  type AdapterPayload,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider';

export const BARE_CLIENT = { client_id: 'bench', client_secret: 'bench-secret-that-is-long-enough-0123456789' };
export const BARE_USER = { email: 'bench@example.com', password: 'benchmark passphrase' };
export const OPAQUE_API = 'https://opaque.bench.example/';
export const JWT_API = 'https://jwt.bench.example/';
export const REDIRECT_URI = 'https://bench.example/cb';

/** Every model in one Map per model name, as oidc-provider's storage contract asks. */
const stores = new Map<string, Map<string, { payload: AdapterPayload; expiresAt?: number }>>();
class MapAdapter implements Adapter {
  private readonly rows: Map<string, { payload: AdapterPayload; expiresAt?: number }>;
  constructor(name: string) {
    this.rows = stores.get(name) ?? new Map();
    stores.set(name, this.rows);
  }
  async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
    this.rows.set(id, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
  }
  async find(id: string) {
    const row = this.rows.get(id);
    if (!row || (row.expiresAt !== undefined && row.expiresAt < Date.now())) return undefined;
    return row.payload;
  }
  async findByUid(uid: string) {
    for (const [id, row] of this.rows) if (row.payload.uid === uid) return this.find(id);
    return undefined;
  }
  async findByUserCode(userCode: string) {
    for (const [id, row] of this.rows) if (row.payload.userCode === userCode) return this.find(id);
    return undefined;
  }
  async consume(id: string) {
    const row = this.rows.get(id);
    if (row) row.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    this.rows.delete(id);
  }
  async revokeByGrantId(grantId: string) {
    for (const rows of stores.values())
      for (const [id, row] of rows) if (row.payload.grantId === grantId) rows.delete(id);
  }
}

const jwk = (type: 'rsa' | 'ec', alg: string) => {
  const { privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: `${alg}-bench` };
};

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

/**
 * The bare provider for `issuer`, storing through `adapter` (the Map adapter unless a ladder rung,
 * bench/ladder-provider.ts, swaps in durable storage), with its interaction screens installed.
 */
export async function buildBareProvider(issuer: string, adapter: Configuration['adapter'] = MapAdapter) {
  const passwordHash = await argon2.hash(BARE_USER.password, {
    type: argon2.argon2id,
    memoryCost: Number(process.env.ARGON2_MEMORY_KIB ?? 19456),
    timeCost: Number(process.env.ARGON2_ITERATIONS ?? 2),
    parallelism: Number(process.env.ARGON2_PARALLELISM ?? 1),
  });
  const configuration: Configuration = {
    adapter,
    clients: [
      {
        ...BARE_CLIENT,
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        redirect_uris: [REDIRECT_URI],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk('rsa', 'RS256'), jwk('ec', 'ES256')] as never },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'offline_access', 'email'],
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, email: BARE_USER.email, email_verified: true }),
    }),
    ttl: {
      Interaction: 3600,
      Grant: 1209600,
      Session: 1209600,
      AccessToken: 3600,
      IdToken: 3600,
      AuthorizationCode: 60,
      ClientCredentials: 3600,
      RefreshToken: 1209600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    rotateRefreshToken: true,
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined as unknown as string,
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx, indicator) => ({
          scope: 'read',
          audience: indicator,
          accessTokenTTL: 3600,
          accessTokenFormat: indicator === JWT_API ? 'jwt' : 'opaque',
          ...(indicator === JWT_API ? { jwt: { sign: { alg: 'ES256' } } } : {}),
        }),
      },
    },
    // A first-party app: no consent screen unless the request says prompt=consent (as Gatehouse's
    // --first-party), so a sign-in is the same number of round trips on both sides.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { session, params, client, result } = ctx.oidc;
      if (!session || !client) return undefined;
      const existing =
        (result?.consent as { grantId?: string } | undefined)?.grantId ?? session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      if (String(params?.prompt ?? '').includes('consent')) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId as string });
      grant.addOIDCScope(String(params?.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);

  provider.use(async (ctx, next) => {
    const match = /^\/interaction\/([^/]+)(?:\/(login|confirm))?$/.exec(ctx.path);
    if (!match) return next();
    const [, uid, action] = match;
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (!action) {
      ctx.type = 'html';
      ctx.body =
        details.prompt.name === 'login'
          ? `<form method="post" action="/interaction/${uid}/login"><input name="email"><input name="password" type="password"><button>Sign in</button></form>`
          : `<form method="post" action="/interaction/${uid}/confirm"><button>Allow</button></form>`;
      return undefined;
    }
    const form = await readForm(ctx.req);
    if (action === 'login') {
      const ok =
        form.get('email') === BARE_USER.email && (await argon2.verify(passwordHash, form.get('password') ?? ''));
      if (!ok) {
        ctx.status = 400;
        ctx.body = 'invalid credentials';
        return undefined;
      }
      return provider.interactionFinished(
        ctx.req,
        ctx.res,
        { login: { accountId: 'bench-user' } },
        { mergeWithLastSubmission: false },
      );
    }
    const grant = new provider.Grant({
      clientId: details.params.client_id as string,
      accountId: details.session?.accountId as string,
    });
    const missing = details.prompt.details.missingOIDCScope as string[] | undefined;
    if (missing) grant.addOIDCScope(missing.join(' '));
    return provider.interactionFinished(
      ctx.req,
      ctx.res,
      { consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: true },
    );
  });

  return provider;
}

export async function startBareProvider(port: number) {
  const provider = await buildBareProvider(`http://127.0.0.1:${port}`);
  const server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  const port = Number(process.env.PORT ?? 3100);
  await startBareProvider(port);
  process.stdout.write(`ready ${port}\n`);
  // Exit on the bench's SIGTERM, so a `--cpu-prof` run writes its profile (as ladder-provider.ts).
  process.once('SIGTERM', () => process.exit(0));
}
