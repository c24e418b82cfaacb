/**
 * A parcel's tracking page at its carrier, pure. The shop types the carrier by name when it marks
 * an order shipped ("UPS", "Royal Mail", "DHL Express"…); a name we know links to the carrier's
 * own tracking page with the number filled in, anything else shows the number without a link.
 */

interface Carrier {
  name: string;
  /** Lower-case names and spellings people type, letters and digits only. */
  aliases: string[];
  url: (n: string) => string;
}

const CARRIERS: Carrier[] = [
  { name: 'UPS', aliases: ['ups', 'unitedparcelservice'], url: (n) => `https://www.ups.com/track?loc=en_US&tracknum=${n}` },
  { name: 'USPS', aliases: ['usps', 'uspostalservice', 'unitedstatespostalservice'], url: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${n}` },
  { name: 'FedEx', aliases: ['fedex', 'federalexpress', 'fedexground', 'fedexexpress'], url: (n) => `https://www.fedex.com/fedextrack/?trknbr=${n}` },
  { name: 'DHL', aliases: ['dhl', 'dhlexpress', 'dhlparcel', 'dhlecommerce'], url: (n) => `https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=${n}` },
  { name: 'Royal Mail', aliases: ['royalmail', 'parcelforce', 'parcelforceworldwide'], url: (n) => `https://www.royalmail.com/track-your-item#/tracking-results/${n}` },
  { name: 'Canada Post', aliases: ['canadapost', 'postescanada'], url: (n) => `https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=${n}` },
  { name: 'DPD', aliases: ['dpd'], url: (n) => `https://tracking.dpd.de/status/en_US/parcel/${n}` },
  { name: 'PostNL', aliases: ['postnl'], url: (n) => `https://jouw.postnl.nl/track-and-trace/${n}` },
  { name: 'Australia Post', aliases: ['australiapost', 'auspost', 'startrack'], url: (n) => `https://auspost.com.au/mypost/track/details/${n}` },
  { name: 'An Post', aliases: ['anpost'], url: (n) => `https://www.anpost.com/Post-Parcels/Track/History?item=${n}` },
  { name: 'La Poste', aliases: ['laposte', 'colissimo'], url: (n) => `https://www.laposte.fr/outils/suivre-vos-envois?code=${n}` },
  { name: 'GLS', aliases: ['gls'], url: (n) => `https://gls-group.com/GROUP/en/parcel-tracking?match=${n}` },
];

const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The carrier's tracking page for this number, or null for a carrier we do not know or a number
 * that is not letters and digits (then nothing is put in a URL).
 * @example trackingUrl('UPS', '1Z 999 AA1 0123456784') // 'https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784'
 * @example trackingUrl('Bob’s Van', '123') // null
 */
export function trackingUrl(carrier: string | null | undefined, trackingNumber: string | null | undefined): string | null {
  if (!carrier || !trackingNumber) return null;
  const number = trackingNumber.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z0-9]{4,40}$/.test(number)) return null;
  const k = key(carrier);
  const c = CARRIERS.find((x) => x.aliases.includes(k));
  return c ? c.url(encodeURIComponent(number)) : null;
}

/** The carrier's usual name when we know it ("royal mail" → "Royal Mail"), else as typed. */
export function carrierName(carrier: string): string {
  const k = key(carrier);
  return CARRIERS.find((x) => x.aliases.includes(k))?.name ?? carrier.trim();
}
