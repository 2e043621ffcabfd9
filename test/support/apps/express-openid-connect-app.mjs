// An Express app protected by express-openid-connect in its default configuration (only what the
// library requires), run as its own process the way an integrator runs one. By default the library
// asks for response_type=id_token with response_mode=form_post.
import express from 'express';
import { auth } from 'express-openid-connect';

const { ISSUER, BASE_URL, CLIENT_ID, PORT } = process.env;
const app = express();
app.use(
  auth({
    issuerBaseURL: ISSUER,
    baseURL: BASE_URL,
    clientID: CLIENT_ID,
    secret: 'a long random cookie secret for the app session',
  }),
);
app.get('/', (req, res) => {
  res.type('text').send(`Hello ${req.oidc.user?.name} <${req.oidc.user?.email}>`);
});
app.listen(Number(PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
