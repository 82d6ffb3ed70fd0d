import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/http/rate-limit.js';

describe('RateLimiter', () => {
  it('allows the limit per window and key, then says when to retry', () => {
    let now = 0;
    const limiter = new RateLimiter(3, 60_000, () => now);
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true]);
    now = 15_000;
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 45 });
    expect(limiter.take('b').ok).toBe(true);
    now = 60_000;
    expect(limiter.take('a').ok).toBe(true);
  });
});
