import { readApplicationChanges, readNewApplication } from '../../../interactions/admin/application-form.js';
import type { ClientSummary } from '../../../src/clients/client-service.js';

const web = {
  name: 'Billing',
  auth_method: 'client_secret_basic',
  application_type: 'web',
  redirect_uris: 'https://billing.example.com/cb\nhttps://billing.example.com/cb2',
  grant_types: ['authorization_code', 'refresh_token'],
  pkce: 'required',
  mfa: 'always',
};

describe('the application form, read at the edge', () => {
  it('turns a filled form into what client add takes: one redirect URI a line, the MFA policy, the grants', () => {
    const parsed = readNewApplication({ ...web, resources: 'https://api.example.com' });
    expect(parsed.ok && parsed.value).toMatchObject({
      name: 'Billing',
      redirectUris: ['https://billing.example.com/cb', 'https://billing.example.com/cb2'],
      grantTypes: ['authorization_code', 'refresh_token'],
      mfaPolicy: 'always',
      resources: ['https://api.example.com'],
      pkce: 'required',
    });
  });

  it('names the field of each mistake and keeps what was typed', () => {
    const parsed = readNewApplication({
      ...web,
      name: '',
      redirect_uris: 'not a url',
      grant_types: 'password',
      auth_method: 'none',
      pkce: 'optional',
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(['grant_types', 'name', 'pkce', 'redirect_uris']);
    expect(parsed.typed.redirectUris).toBe('not a url');
  });

  it('lets plain http through only on loopback for a web app, and on any host not at all', () => {
    expect(readNewApplication({ ...web, redirect_uris: 'http://127.0.0.1:8080/cb' }).ok).toBe(true);
    const remote = readNewApplication({ ...web, redirect_uris: 'http://billing.example.com/cb' });
    expect(!remote.ok && remote.errors.redirect_uris).toMatch(/must use https/);
    const postLogout = readNewApplication({ ...web, post_logout_redirect_uris: 'http://billing.example.com/bye' });
    expect(!postLogout.ok && postLogout.errors.post_logout_redirect_uris).toMatch(/must use https/);
  });

  it('takes the consent page links as https only, saying so next to the field, and keeps what was typed', () => {
    const mistake = readNewApplication({ ...web, logo_uri: 'http://billing.example.com/logo.png' });
    expect(mistake.ok).toBe(false);
    if (mistake.ok) return;
    expect(mistake.errors).toEqual({ logo_uri: 'Give an https URL, or leave it empty.' });
    expect(mistake.typed.links.logo_uri).toBe('http://billing.example.com/logo.png');
    const fixed = readNewApplication({
      ...web,
      logo_uri: 'https://billing.example.com/logo.png',
      policy_uri: 'https://billing.example.com/privacy',
    });
    expect(fixed.ok && fixed.value.links).toEqual({
      logo_uri: 'https://billing.example.com/logo.png',
      policy_uri: 'https://billing.example.com/privacy',
      tos_uri: '',
      client_uri: '',
    });
  });

  it('refuses a field sent twice as a form of ours never does', () => {
    const parsed = readNewApplication({ ...web, name: ['a', 'b'] });
    expect(!parsed.ok && parsed.errors.name).toBeTruthy();
  });

  it('gives a public application no browser origins that are not origins, and no optional PKCE on edit', () => {
    const current = {
      client_id: 'spa',
      client_name: 'SPA',
      redirect_uris: ['https://spa.example.com/cb'],
      post_logout_redirect_uris: [],
      web_origins: [],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'none',
      first_party: false,
      require_mfa: false,
      mfa_policy: 'default',
      resources: {},
      response_types: ['code'],
      pkce: 'required',
      application_type: 'web',
    } satisfies ClientSummary;
    const form = { ...web, redirect_uris: 'https://spa.example.com/cb', mfa: 'default' };
    const bad = readApplicationChanges(
      { ...form, allowed_origins: 'https://spa.example.com/app', pkce: 'optional' },
      current,
    );
    expect(!bad.ok && Object.keys(bad.errors).sort()).toEqual(['allowed_origins', 'pkce']);
    const good = readApplicationChanges({ ...form, allowed_origins: 'https://spa.example.com' }, current);
    expect(good.ok && good.value).toMatchObject({ allowedOrigins: ['https://spa.example.com'], mfaPolicy: 'default' });
  });
});
