/**
 * The floors of the code, bottom first: a folder may import from its own floor and those below,
 * never from above. eslint.config.js turns this into one `no-restricted-imports` rule per folder,
 * and test/architecture/floors.test.ts measures the whole import graph against it.
 *
 * - kernel: what every floor may use (logger, clock, errors, email rules, token lifetimes)
 * - config: the typed, frozen Config
 * - i18n: the message catalogues, locale negotiation and formatting (pages and mail both use them)
 * - db: storage infrastructure, and the storage of oidc-provider's records
 * - domain folders, each a floor of its own so no two can import each other
 * - account-lifecycle and second-step: services that combine several domains
 * - http (web plumbing), oidc (the protocol), connections (sign-in with other providers: they call out
 *   through the protocol's SSRF guard), admin-api (the management API), admin-console (the admin
 *   console's logic), interactions (the UI layer)
 * - boot (the composition root), cli, and src/main.ts
 */
export const FLOORS = [
  'src/kernel',
  'src/config',
  'src/i18n',
  'src/db',
  'src/background',
  'src/audit',
  'src/metrics',
  'src/keys',
  'src/throttle',
  'src/mail',
  'src/accounts',
  'src/mfa',
  'src/passkeys',
  'src/sessions',
  'src/clients',
  'src/resources',
  'src/directory',
  'src/account-lifecycle',
  'src/second-step',
  'src/http',
  'src/oidc',
  'src/connections',
  'src/admin-api',
  'src/admin-console',
  'interactions',
  'src/boot',
  'src/cli',
];

/** The floor of a file (a path from the repository root): the folder it lives under, or src/ itself. */
export function floorOf(file) {
  const found = FLOORS.find((floor) => file === floor || file.startsWith(`${floor}/`));
  if (found) return found;
  return file.startsWith('src/') && !file.slice(4).includes('/') ? 'src' : undefined;
}

/** Its rank: higher may import lower. src/main.ts (the dev entry) stands above everything. */
export function rankOf(floor) {
  return floor === 'src' ? FLOORS.length : FLOORS.indexOf(floor);
}
