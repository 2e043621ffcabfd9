import type { ProfileClaimName } from '../accounts/profile-claims.js';
import { attributeInvalid, type ClaimRule } from './attribute-invalid.js';

/** Refused: `problem` in English for the message, the rule (and its bound) for whoever words it again. */
const invalid = (name: string, problem: string, rule: ClaimRule, limit?: number) =>
  attributeInvalid(`claim ${name}: ${problem}`, { attribute: name, rule, ...(limit === undefined ? {} : { limit }) });

const MAX_TEXT = 256;

/** IANA zones as this runtime knows them (canonical names), plus UTC, which the list leaves out. */
let zones: ReadonlySet<string> | undefined;
const timeZones = () => (zones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']));

function text(name: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw invalid(name, 'is empty (use --unset to clear it)', 'empty');
  if (trimmed.length > MAX_TEXT) throw invalid(name, `is longer than ${MAX_TEXT} characters`, 'tooLong', MAX_TEXT);
  if (/\p{Cc}/u.test(trimmed)) throw invalid(name, 'must be one line of text', 'notOneLine');
  return trimmed;
}

/** OIDC Core §5.1: profile, picture and website are URLs; we take https only (they are shown to apps). */
function httpsUrl(name: string, value: string): string {
  try {
    const url = new URL(value.trim());
    if (url.protocol === 'https:' && value.trim().length <= 2048) return url.href;
  } catch {
    /* refused below */
  }
  throw invalid(name, `"${value}" is not an https URL`, 'notAnHttpsUrl');
}

/** OIDC Core §5.1: YYYY-MM-DD, or YYYY alone; 0000 stands for a year left out. */
function birthdate(value: string): string {
  const match = /^(\d{4})(?:-(\d{2})-(\d{2}))?$/.exec(value.trim());
  if (match) {
    const [, year, month, day] = match;
    if (month === undefined) return value.trim();
    // A leap year for 0000, so 0000-02-29 stands.
    const date = new Date(Date.UTC(year === '0000' ? 2000 : Number(year), Number(month) - 1, Number(day)));
    if (date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day)) return value.trim();
  }
  throw invalid('birthdate', `"${value}" is not YYYY or a real YYYY-MM-DD date`, 'notADate');
}

/**
 * A standard claim's value, typed as text, checked as OIDC Core §5.1 describes it: locale a BCP 47
 * tag (stored in canonical form), zoneinfo an IANA zone this runtime knows, phone_number E.164
 * (ITU-T E.164: + and up to 15 digits), birthdate YYYY or YYYY-MM-DD, the URLs https.
 */
export function parseProfileClaim(name: ProfileClaimName, value: string): string | boolean {
  switch (name) {
    case 'profile':
    case 'picture':
    case 'website':
      return httpsUrl(name, value);
    case 'birthdate':
      return birthdate(value);
    case 'zoneinfo': {
      const zone = value.trim();
      if (!timeZones().has(zone))
        throw invalid(name, `"${value}" is not an IANA time zone (such as Europe/Paris)`, 'notATimeZone');
      return zone;
    }
    case 'locale': {
      try {
        const [canonical] = Intl.getCanonicalLocales(value.trim());
        if (canonical) return canonical;
      } catch {
        /* refused below */
      }
      throw invalid(name, `"${value}" is not a BCP 47 language tag (such as en-US)`, 'notALanguageTag');
    }
    case 'phone_number': {
      const number = value.trim();
      if (!/^\+[1-9]\d{1,14}$/.test(number))
        throw invalid(
          name,
          `"${value}" is not an E.164 number (+ then country code and number, digits only)`,
          'notAPhoneNumber',
        );
      return number;
    }
    case 'phone_number_verified': {
      const flag = { true: true, false: false }[value.trim().toLowerCase()];
      if (flag === undefined) throw invalid(name, `"${value}" is not true or false`, 'notTrueOrFalse');
      return flag;
    }
    default:
      return text(name, value);
  }
}
