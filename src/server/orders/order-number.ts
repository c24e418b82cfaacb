/**
 * Order numbers people can read aloud over the phone: "LB-7KX4-M2QD". The alphabet leaves out
 * 0/O, 1/I/L and U (Crockford's reasons), so nothing is misheard or misread. 8 symbols of a
 * 30-letter alphabet ≈ 6.6e11 numbers; uniqueness is enforced by the DB and retried on collision.
 */
export const ORDER_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newOrderNumber(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const bytes = random(8);
  let s = '';
  for (const b of bytes) s += ORDER_ALPHABET[b % ORDER_ALPHABET.length];
  return `LB-${s.slice(0, 4)}-${s.slice(4)}`;
}

export const ORDER_NUMBER_PATTERN = /^LB-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;

/** Accepts what a person types: any case, spaces or missing dashes. */
export function normaliseOrderNumber(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  const body = compact.startsWith('LB') ? compact.slice(2) : compact;
  if (body.length !== 8) return null;
  const n = `LB-${body.slice(0, 4)}-${body.slice(4)}`;
  return ORDER_NUMBER_PATTERN.test(n) ? n : null;
}
