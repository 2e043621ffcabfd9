// A small MCP server (Model Context Protocol, streamable HTTP) whose tools need a Gatehouse access
// token. It publishes RFC 9728 protected-resource metadata naming Gatehouse as its authorization
// server, answers 401 with a WWW-Authenticate header pointing there (how an MCP client discovers
// where to sign in), and accepts only RFC 9068 JWTs from that issuer whose audience is this
// server (RFC 8707) and whose scope includes tools:read.
import express from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';

const { ISSUER = 'http://localhost:3000', PORT = '4100' } = process.env;
// The MCP endpoint is the resource: `gatehouse resource add --identifier` this URL.
const { MCP_URL = `http://localhost:${PORT}/mcp` } = process.env;
const SCOPE = 'tools:read';
const jwks = createRemoteJWKSet(new URL('/jwks', ISSUER));
const mcpUrl = new URL(MCP_URL);
const metadataPath = `/.well-known/oauth-protected-resource${mcpUrl.pathname}`;

const app = express();

// RFC 9728 §3: where to get a token for this server, and which scopes it knows.
app.get(metadataPath, (_req, res) => {
  res.json({
    resource: MCP_URL,
    authorization_servers: [ISSUER],
    scopes_supported: [SCOPE],
    bearer_methods_supported: ['header'],
  });
});

const verifier = {
  async verifyAccessToken(token) {
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: ISSUER, audience: MCP_URL, typ: 'at+jwt' });
      const scopes = String(payload.scope ?? '')
        .split(' ')
        .filter(Boolean);
      return {
        token,
        clientId: String(payload.client_id),
        scopes,
        expiresAt: payload.exp,
        resource: mcpUrl,
        extra: { sub: payload.sub },
      };
    } catch (error) {
      throw new InvalidTokenError(`the token was not issued for this server: ${error.code ?? error.message}`);
    }
  },
};
const bearer = requireBearerAuth({
  verifier,
  requiredScopes: [SCOPE],
  resourceMetadataUrl: new URL(metadataPath, mcpUrl).href,
  expectedResource: mcpUrl,
});

// Stateless: one MCP server and transport per request, with the caller's identity in reach.
app.post(mcpUrl.pathname, express.json(), bearer, async (req, res) => {
  const server = new McpServer({ name: 'gatehouse-example', version: '1.0.0' });
  server.registerTool(
    'greet',
    { description: 'Greets the person who signed in', inputSchema: { greeting: z.string().default('Hello') } },
    async ({ greeting }, { authInfo }) => ({
      content: [{ type: 'text', text: `${greeting}, ${authInfo?.extra?.sub} (via ${authInfo?.clientId})` }],
    }),
  );
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => void transport.close());
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});

app.listen(Number(PORT), () => process.stdout.write(`listening on ${MCP_URL}\n`));
