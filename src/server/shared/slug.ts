/**
 * The one rule for making an address (slug) from a title, shared by posts and products: accents
 * dropped, lowercase letters and digits, single dashes, at most 80 characters; '' when fewer than 2
 * characters remain (the caller then asks for an address).
 * @example slugFromText('Crème brûlée & linen — summer!') // 'creme-brulee-linen-summer'
 */
export function slugFromText(text: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return s.length >= 2 ? s : '';
}
