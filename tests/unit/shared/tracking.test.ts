import { describe, expect, it } from 'vitest';
import { carrierName, trackingUrl } from '../../../src/server/shared/index.ts';
import { orderShippedEmail } from '../../../src/server/mail/index.ts';

describe('trackingUrl (the carrier\'s own tracking page)', () => {
  it.each([
    ['UPS', '1Z 999 AA1 0123456784', 'https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784'],
    ['usps', '9400 1000 0000 0000 0000 00', 'https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000000'],
    ['FedEx', '123456789012', 'https://www.fedex.com/fedextrack/?trknbr=123456789012'],
    ['DHL Express', '1234567890', 'https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=1234567890'],
    ['Royal Mail', 'ab123456789gb', 'https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB'],
    ['Canada Post', '1234567890123456', 'https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=1234567890123456'],
    ['DPD', '01234567890123', 'https://tracking.dpd.de/status/en_US/parcel/01234567890123'],
    ['PostNL', '3SABCD1234567', 'https://jouw.postnl.nl/track-and-trace/3SABCD1234567'],
    ['Australia Post', 'ABC1234567', 'https://auspost.com.au/mypost/track/details/ABC1234567'],
  ])('%s %s', (carrier, number, url) => {
    expect(trackingUrl(carrier, number)).toBe(url);
  });
  it('has no link for a carrier it does not know, or a number that is not letters and digits', () => {
    expect(trackingUrl('Bob’s Van', '12345')).toBeNull();
    expect(trackingUrl('UPS', '"><script>')).toBeNull();
    expect(trackingUrl('UPS', null)).toBeNull();
    expect(trackingUrl(null, '1Z999')).toBeNull();
  });
  it('names known carriers as they write themselves', () => {
    expect(carrierName('royal mail')).toBe('Royal Mail');
    expect(carrierName('  Local courier ')).toBe('Local courier');
  });
  it('links the shipped email to the carrier when the shop knows it', () => {
    const m = orderShippedEmail({
      shopName: 'Lookbook', number: 'LB-2222-3333', email: 'a@example.com', currency: 'USD', locale: 'en-US', lines: [], subtotalCents: 0, discountCents: 0, shippingCents: 0, totalCents: 0,
      shippingLabel: 'Standard', shipTo: { name: 'Ada', line1: '1 Main St', city: 'Brooklyn', region: 'NY', postcode: '11249', country: 'US' }, orderUrl: 'https://shop.example/orders/LB-2222-3333?t=x',
      carrier: 'UPS', trackingNumber: '1Z999AA10123456784',
    });
    expect(m.text).toContain('Track the parcel: https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784');
    expect(m.html).toContain('href="https://www.ups.com/track?loc=en_US&amp;tracknum=1Z999AA10123456784"');
  });
});
