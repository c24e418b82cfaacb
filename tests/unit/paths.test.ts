import { describe, expect, it } from 'vitest';
import { safeNextPath } from '../../src/server/shared/index.ts';

describe('safeNextPath (no open redirect)', () => {
  it.each(['//evil.example', '/\\evil.example', '/.//evil.example', '/..//evil.example', '/./\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/%0a/evil', '/\t/evil.example'])(
    'refuses %s',
    (next) => {
      const out = safeNextPath(next, '/home');
      expect(out.startsWith('//') || out.startsWith('/\\')).toBe(false);
      expect(new URL(out, 'https://shop.example').origin).toBe('https://shop.example');
    },
  );
  it('keeps on-site paths with query and hash', () => {
    expect(safeNextPath('/admin/orders?status=paid#top')).toBe('/admin/orders?status=paid#top');
    expect(safeNextPath(null, '/x')).toBe('/x');
  });
});
