import { retryDelayMs } from './webhook-delivery.sweeper.js';

describe('the retry delay', () => {
  const settings = { retryBaseMs: 10_000, retryMaxMs: 3_600_000 };

  it('doubles with each attempt, each delay between half and all of its step', () => {
    for (const [attempt, step] of [
      [1, 10_000],
      [2, 20_000],
      [3, 40_000],
      [9, 2_560_000],
    ])
      for (let sample = 0; sample < 50; sample++) {
        const delay = retryDelayMs(attempt, settings);
        expect(delay).toBeGreaterThanOrEqual(step / 2);
        expect(delay).toBeLessThanOrEqual(step);
      }
  });

  it('stops growing at the maximum, however many attempts failed', () => {
    for (const attempt of [10, 100, 10_000]) expect(retryDelayMs(attempt, settings)).toBeLessThanOrEqual(3_600_000);
    expect(retryDelayMs(10_000, settings)).toBeGreaterThanOrEqual(1_800_000);
  });

  it('spreads retries that fail together', () => {
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(3, settings)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
