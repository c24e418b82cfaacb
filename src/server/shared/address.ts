/**
 * Postal addresses, pure: the per-country rules checkout validates against (postcode pattern and
 * normal form, whether a state/province is required and which ones exist) and the one formatter
 * every page and email uses, so an address reads the same on the order page, in the admin and in
 * the buyer's mailbox.
 *
 * Layouts follow each country's postal service: "City, ST 12345" in the US and Canada, "Town
 * STATE 2000" in Australia, the postcode on its own line in the UK and Ireland (Royal Mail, An
 * Post), "12345 City" in continental Europe. A country without a rule here gets the US-style
 * city line, which the carriers of the others read without trouble.
 */

export interface PostalAddress {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postcode: string;
  /** ISO 3166-1 alpha-2 code (shown as its name in the given locale) or a country name. */
  country: string;
}

interface CountryRule {
  /** Postcode after normalising (upper case, single spaces); `null`: no postcode is asked for. */
  postcode: RegExp | null;
  /** Puts the postcode in its usual form, e.g. "sw1a2aa" → "SW1A 2AA". */
  normalise?: (compact: string) => string;
  /** An example shown in the message when a postcode does not fit. */
  example?: string;
  /** Whether the postcode may be left out (Irish Eircodes are not used by everyone yet). */
  postcodeOptional?: boolean;
  /** The regions a delivery needs, code → name; absent when the region is optional free text. */
  regions?: Record<string, string>;
  /** What the region is called, for messages ("state", "province"). */
  regionLabel?: string;
  /** The region named in messages as an example. */
  regionExample?: string;
  /** How the city, region and postcode are laid out. */
  layout: 'city-region-postcode' | 'postcode-city' | 'postcode-own-line' | 'city-region-postcode-no-comma';
}

const US_STATES: Record<string, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut',
  DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois',
  IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland',
  MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
  NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York',
  NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
  RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah',
  VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
  PR: 'Puerto Rico', GU: 'Guam', VI: 'U.S. Virgin Islands', AS: 'American Samoa', MP: 'Northern Mariana Islands',
  AA: 'Armed Forces Americas', AE: 'Armed Forces Europe', AP: 'Armed Forces Pacific',
};

const CA_PROVINCES: Record<string, string> = {
  AB: 'Alberta', BC: 'British Columbia', MB: 'Manitoba', NB: 'New Brunswick', NL: 'Newfoundland and Labrador',
  NS: 'Nova Scotia', NT: 'Northwest Territories', NU: 'Nunavut', ON: 'Ontario', PE: 'Prince Edward Island',
  QC: 'Quebec', SK: 'Saskatchewan', YT: 'Yukon',
};

const AU_STATES: Record<string, string> = {
  ACT: 'Australian Capital Territory', NSW: 'New South Wales', NT: 'Northern Territory', QLD: 'Queensland',
  SA: 'South Australia', TAS: 'Tasmania', VIC: 'Victoria', WA: 'Western Australia',
};

/** Splits the last three characters off ("SW1A2AA" → "SW1A 2AA"): UK and Canadian inward codes. */
const spaceBeforeLast3 = (s: string) => `${s.slice(0, -3)} ${s.slice(-3)}`;

export const COUNTRY_RULES: Record<string, CountryRule> = {
  US: { postcode: /^\d{5}(-\d{4})?$/, normalise: (s) => (s.length === 9 && /^\d+$/.test(s) ? `${s.slice(0, 5)}-${s.slice(5)}` : s), example: '11249', regions: US_STATES, regionLabel: 'state', regionExample: 'NY', layout: 'city-region-postcode' },
  CA: { postcode: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$/, normalise: spaceBeforeLast3, example: 'K1A 0B1', regions: CA_PROVINCES, regionLabel: 'province', regionExample: 'ON', layout: 'city-region-postcode' },
  AU: { postcode: /^\d{4}$/, example: '2000', regions: AU_STATES, regionLabel: 'state', regionExample: 'NSW', layout: 'city-region-postcode-no-comma' },
  GB: { postcode: /^(GIR 0AA|[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2})$/, normalise: spaceBeforeLast3, example: 'SW1A 2AA', layout: 'postcode-own-line' },
  IE: { postcode: /^([AC-FHKNPRTV-Y]\d{2}|D6W) [\dAC-FHKNPRTV-Y]{4}$/, normalise: (s) => (s.length === 7 ? `${s.slice(0, 3)} ${s.slice(3)}` : s), example: 'D02 X285', postcodeOptional: true, layout: 'postcode-own-line' },
  DE: { postcode: /^\d{5}$/, example: '10115', layout: 'postcode-city' },
  FR: { postcode: /^\d{5}$/, example: '75001', layout: 'postcode-city' },
  NL: { postcode: /^[1-9]\d{3} [A-Z]{2}$/, normalise: (s) => (s.length === 6 ? `${s.slice(0, 4)} ${s.slice(4)}` : s), example: '1012 AB', layout: 'postcode-city' },
  BE: { postcode: /^\d{4}$/, example: '1000', layout: 'postcode-city' },
  ES: { postcode: /^\d{5}$/, example: '28001', layout: 'postcode-city' },
  IT: { postcode: /^\d{5}$/, example: '00184', layout: 'postcode-city' },
  DK: { postcode: /^\d{4}$/, example: '1050', layout: 'postcode-city' },
  SE: { postcode: /^\d{3} \d{2}$/, normalise: (s) => (s.length === 5 ? `${s.slice(0, 3)} ${s.slice(3)}` : s), example: '111 22', layout: 'postcode-city' },
  NZ: { postcode: /^\d{4}$/, example: '6011', layout: 'city-region-postcode-no-comma' },
  JP: { postcode: /^\d{3}-\d{4}$/, normalise: (s) => (s.length === 7 ? `${s.slice(0, 3)}-${s.slice(3)}` : s), example: '100-0001', layout: 'city-region-postcode' },
};

const FALLBACK: CountryRule = { postcode: /^[A-Z0-9][A-Z0-9 -]{1,10}$/, layout: 'city-region-postcode' };

function ruleFor(country: string): CountryRule {
  return COUNTRY_RULES[country.toUpperCase()] ?? FALLBACK;
}

export type PostcodeCheck = { ok: true; value: string } | { ok: false; message: string };

/**
 * The postcode in its country's usual form, or a message for the buyer.
 * @example checkPostcode('GB', 'sw1a2aa') // { ok: true, value: 'SW1A 2AA' }
 * @example checkPostcode('US', 'ABCDE')   // { ok: false, message: 'Enter a 5-digit ZIP code, like 11249.' }
 */
export function checkPostcode(country: string, raw: string): PostcodeCheck {
  const rule = ruleFor(country);
  const upper = raw.trim().toUpperCase().replace(/\s+/g, ' ');
  if (upper === '') {
    if (rule.postcodeOptional || rule.postcode === null) return { ok: true, value: '' };
    return { ok: false, message: country === 'US' ? 'Enter your ZIP code.' : 'Enter your postcode.' };
  }
  if (rule.postcode === null) return { ok: true, value: upper };
  const compact = upper.replace(/[ -]/g, '');
  const value = rule.normalise ? rule.normalise(compact) : compact;
  if (rule.postcode.test(value)) return { ok: true, value };
  if (rule.postcode.test(upper)) return { ok: true, value: upper };
  if (country === 'US') return { ok: false, message: 'Enter a 5-digit ZIP code, like 11249.' };
  return { ok: false, message: rule.example ? `Enter a postcode like ${rule.example}.` : 'Enter a valid postcode.' };
}

export type RegionCheck = { ok: true; value: string | null } | { ok: false; message: string };

/**
 * The state/province as its postal code where the country needs one (a name or a code is
 * accepted), free text elsewhere.
 * @example checkRegion('US', 'new york') // { ok: true, value: 'NY' }
 * @example checkRegion('US', '')         // { ok: false, message: 'Enter your state, like NY or New York.' }
 */
export function checkRegion(country: string, raw: string | null | undefined): RegionCheck {
  const rule = ruleFor(country);
  const text = (raw ?? '').trim().replace(/\s+/g, ' ');
  if (!rule.regions) return { ok: true, value: text === '' ? null : text };
  const label = rule.regionLabel ?? 'region';
  const example = rule.regionExample ?? Object.keys(rule.regions)[0]!;
  const hint = `like ${example} or ${rule.regions[example]}`;
  if (text === '') return { ok: false, message: `Enter your ${label}, ${hint}.` };
  const wanted = text.toUpperCase().replace(/\./g, '');
  for (const [code, name] of Object.entries(rule.regions)) {
    if (wanted === code || wanted === name.toUpperCase().replace(/\./g, '')) return { ok: true, value: code };
  }
  return { ok: false, message: `We do not recognise that ${label}. Enter it ${hint}.` };
}

/** Whether checkout must ask for a state/province in this country. */
export function regionRequired(country: string): boolean {
  return Boolean(ruleFor(country).regions);
}

/**
 * The country's name in `locale` ("US" → "United States"); anything that is not a two-letter code
 * is returned as it is.
 */
export function countryDisplayName(country: string, locale = 'en-US'): string {
  if (!/^[A-Za-z]{2}$/.test(country)) return country;
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(country.toUpperCase()) ?? country;
  } catch {
    return country;
  }
}

/**
 * The address as the lines of an envelope, empty parts left out.
 * @example formatAddressLines({ name: 'Ada', line1: '1 Main St', city: 'Brooklyn', region: 'NY', postcode: '11249', country: 'US' })
 *   // ['Ada', '1 Main St', 'Brooklyn, NY 11249', 'United States']
 * @example formatAddressLines({ name: 'Ada', line1: '10 Downing St', city: 'London', postcode: 'SW1A 2AA', country: 'GB' })
 *   // ['Ada', '10 Downing St', 'London', 'SW1A 2AA', 'United Kingdom']
 */
export function formatAddressLines(a: PostalAddress, locale = 'en-US'): string[] {
  const t = (s: string | null | undefined) => (s ?? '').trim();
  const city = t(a.city);
  const region = t(a.region);
  const postcode = t(a.postcode);
  const join = (...parts: string[]) => parts.filter(Boolean).join(' ');
  let place: string[];
  switch (ruleFor(a.country).layout) {
    case 'postcode-city':
      place = [join(postcode, city), region];
      break;
    case 'postcode-own-line':
      place = [city, region, postcode];
      break;
    case 'city-region-postcode-no-comma':
      place = [join(city, region, postcode)];
      break;
    case 'city-region-postcode':
    default:
      place = [join(city && region ? `${city},` : city, region, postcode)];
  }
  return [t(a.name), t(a.line1), t(a.line2), ...place, countryDisplayName(t(a.country), locale)].filter(Boolean);
}

/** The address on one line, e.g. for a table cell or a CSV field. */
export function formatAddressInline(a: PostalAddress, locale = 'en-US'): string {
  return formatAddressLines(a, locale).join(', ');
}
