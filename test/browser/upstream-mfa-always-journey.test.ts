import { useUpstreamJourney } from '../support/upstream-journey.js';
import { totpCodeAt } from '../../src/mfa/totp.js';

// MFA_POLICY=always: every sign-in needs a second factor, and someone without one sets it up during
// the sign-in. An account the upstream sign-in has just created has no password anyone knows.
const { journey, atSignIn, signInUpstream, allowAndRedeem } = useUpstreamJourney([], { MFA_POLICY: 'always' });

test('an account created by an upstream sign-in sets up its authenticator right there, without a password it never had (a wrong code first)', async () => {
  journey.upstream.people.set('new-1', { email: 'newcomer@upstream.example', email_verified: true });
  const flow = await atSignIn();
  const { page } = flow;
  await page.getByRole('button', { name: 'Continue with Acme SSO' }).click();
  await signInUpstream(page, 'new-1');
  await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  await page.getByLabel('Authentication code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('alert').waitFor();
  await page.getByLabel('Authentication code').fill(await totpCodeAt(secret, Date.now()));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByTestId('recovery-codes').waitFor();
  await page.getByRole('link', { name: 'Continue to Journey' }).click();
  const claims = await allowAndRedeem(page, flow);
  expect(claims.email).toBe('newcomer@upstream.example');
  expect(claims.amr).toEqual(expect.arrayContaining(['fed', 'otp', 'mfa']));
  expect(claims.amr).not.toContain('pwd');
});
