// An API that accepts Gatehouse access tokens: it verifies the RFC 9068 JWT itself with the
// published keys (/jwks), checking the issuer, its own identifier as audience, and the type.
import { createServer } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const { ISSUER = 'http://localhost:3000', API = 'http://localhost:4000', PORT = '4000' } = process.env;
const jwks = createRemoteJWKSet(new URL('/jwks', ISSUER));

createServer(async (req, res) => {
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer: ISSUER, audience: API, typ: 'at+jwt' });
    if (
      !String(payload.scope ?? '')
        .split(' ')
        .includes('read')
    )
      throw new Error('the token lacks the read scope');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ hello: payload.sub, client_id: payload.client_id, scope: payload.scope }));
  } catch {
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' });
    res.end(JSON.stringify({ error: 'invalid_token' }));
  }
}).listen(Number(PORT), () => process.stdout.write(`listening on ${API}\n`));
