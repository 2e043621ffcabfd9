// An API protected by express-oauth2-jwt-bearer (Auth0's middleware for RFC 9068 access tokens), run
// as its own process the way an integrator runs one: it discovers the issuer's keys, checks issuer,
// audience and signature, then each route's scope or role.
import express from 'express';
import { auth, claimIncludes, requiredScopes } from 'express-oauth2-jwt-bearer';

const { ISSUER, API, PORT } = process.env;
const app = express();
// Gatehouse signs access tokens with ES256 (token-configuration.ts); the library expects RS256 unless told.
app.use(auth({ issuerBaseURL: ISSUER, audience: API, tokenSigningAlg: 'ES256' }));
app.get('/documents', requiredScopes('read'), (req, res) => {
  res.json({ documents: [], for: req.auth.payload.sub });
});
app.post('/documents', requiredScopes('write'), (req, res) => {
  res.status(201).json({ created: true, by: req.auth.payload.sub });
});
app.delete('/documents', claimIncludes('roles', 'editor'), (req, res) => {
  res.json({ deleted: true, by: req.auth.payload.sub });
});
app.listen(Number(PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
