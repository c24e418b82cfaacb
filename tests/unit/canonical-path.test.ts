/** One address per page: the trailing-slash form of a path and where it redirects. */
import { describe, expect, it } from 'vitest';
import { canonicalPath } from '../../src/lib/middleware/canonical-path.ts';

describe('canonicalPath', () => {
  it('drops trailing slashes; canonical paths and the root stay', () => {
    expect(canonicalPath('/posts/a/')).toBe('/posts/a');
    expect(canonicalPath('/posts/a//')).toBe('/posts/a');
    expect(canonicalPath('/posts/a')).toBeNull();
    expect(canonicalPath('/')).toBeNull();
  });
  it('never produces a protocol-relative address', () => {
    expect(canonicalPath('//evil.example/')).toBe('/');
    expect(canonicalPath('///')).toBe('/');
  });
});
