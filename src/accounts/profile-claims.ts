import type { ProfileColumns } from './account-queries.js';

/**
 * The standard claims of OIDC Core §5.1 that an account holds beyond email and name, by claim
 * name → Account column. `profile` and `phone` scopes release them (§5.4); the operator sets them
 * with `gatehouse user update --set given_name=Ada` (src/directory/profile-claim-values.ts checks them).
 */
export const PROFILE_CLAIM_COLUMNS = {
  given_name: 'givenName',
  family_name: 'familyName',
  middle_name: 'middleName',
  nickname: 'nickname',
  preferred_username: 'preferredUsername',
  profile: 'profile',
  picture: 'picture',
  website: 'website',
  gender: 'gender',
  birthdate: 'birthdate',
  zoneinfo: 'zoneinfo',
  locale: 'locale',
  phone_number: 'phoneNumber',
  phone_number_verified: 'phoneNumberVerified',
} as const satisfies Record<string, keyof ProfileColumns>;

export type ProfileClaimName = keyof typeof PROFILE_CLAIM_COLUMNS;

export const PROFILE_CLAIM_NAMES = Object.keys(PROFILE_CLAIM_COLUMNS) as ProfileClaimName[];

export const isProfileClaim = (name: string): name is ProfileClaimName =>
  Object.prototype.hasOwnProperty.call(PROFILE_CLAIM_COLUMNS, name);

/**
 * The profile and phone claims an account has set, by claim name: unset ones are left out (OIDC
 * Core §5.3.2: a claim with no value is omitted, not null), and phone_number_verified comes only
 * with a phone number.
 */
export function profileClaimsOf(row: ProfileColumns): Partial<Record<ProfileClaimName, string | boolean>> {
  const claims: Partial<Record<ProfileClaimName, string | boolean>> = {};
  for (const name of PROFILE_CLAIM_NAMES) {
    if (name === 'phone_number_verified') continue;
    const value = row[PROFILE_CLAIM_COLUMNS[name]];
    if (typeof value === 'string') claims[name] = value;
  }
  if (row.phoneNumber !== null) claims.phone_number_verified = row.phoneNumberVerified;
  return claims;
}
