/** Order components rendered through Astro's Container API: the address as its country writes it. */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { beforeAll, describe, expect, it } from 'vitest';
import Address from '../../src/components/order/Address.astro';
import Tracking from '../../src/components/order/Tracking.astro';

let container: AstroContainer;
beforeAll(async () => {
  container = await AstroContainer.create();
});

const text = (html: string) => html.replace(/<br[^>]*>/g, '\n').replace(/<[^>]+>/g, '').trim();

describe('Address', () => {
  it('prints a US address as "City, ST ZIP" and the country by name', async () => {
    const html = await container.renderToString(Address, {
      props: { address: { name: 'Ada Lovelace', line1: '12 Wythe Ave', line2: null, city: 'Brooklyn', region: 'NY', postcode: '11249', country: 'US' } },
    });
    expect(text(html)).toBe('Ada Lovelace\n12 Wythe Ave\nBrooklyn, NY 11249\nUnited States');
  });
  it('prints a UK postcode on its own line after the town, and escapes what the buyer typed', async () => {
    const html = await container.renderToString(Address, {
      props: { address: { name: '<b>Ada</b>', line1: '10 Downing St', city: 'London', region: null, postcode: 'SW1A 2AA', country: 'GB' } },
    });
    expect(html).not.toContain('<b>Ada</b>');
    expect(text(html)).toBe('&lt;b&gt;Ada&lt;/b&gt;\n10 Downing St\nLondon\nSW1A 2AA\nUnited Kingdom');
  });
});

describe('Tracking', () => {
  it('links a known carrier\'s number to its tracking page', async () => {
    const html = await container.renderToString(Tracking, { props: { carrier: 'Royal Mail', trackingNumber: 'AB123456789GB' } });
    expect(html).toContain('href="https://www.royalmail.com/track-your-item#/tracking-results/AB123456789GB"');
    expect(html).toContain('Track the parcel at Royal Mail');
  });
  it('shows an unknown carrier\'s number without a link', async () => {
    const html = await container.renderToString(Tracking, { props: { carrier: 'Local courier', trackingNumber: 'LC-42', variant: 'value' } });
    expect(html).not.toContain('<a');
    expect(html).toContain('LC-42');
  });
});
