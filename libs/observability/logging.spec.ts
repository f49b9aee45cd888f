import { loggablePath, requestIdFor } from './logging.js';
import { Metrics } from './metrics.js';

const GENERATED = /^[0-9a-f-]{36}$/;

describe('requestIdFor', () => {
  it("keeps a client's short id of safe characters", () => {
    expect(requestIdFor('client-42.retry:1_a')).toBe('client-42.retry:1_a');
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['a newline', 'abc\ninjected'],
    ['a space', 'abc def'],
    ['JSON', '"}{"level":60'],
    ['empty', ''],
  ])('replaces one with %s', (_, incoming) => {
    expect(requestIdFor(incoming)).toMatch(GENERATED);
  });

  it('replaces a repeated header and an absent one', () => {
    expect(requestIdFor(['a', 'b'])).toMatch(GENERATED);
    expect(requestIdFor(undefined)).toMatch(GENERATED);
  });
});

describe('loggablePath', () => {
  it('drops the query string and masks token-like segments', () => {
    expect(loggablePath('/exports/AbCdEfGhIjKlMnOpQrSt?x=1')).toBe('/exports/:token');
    expect(loggablePath('/oauth/interaction/AbCdEfGhIjKlMnOpQrSt/login')).toBe('/oauth/interaction/:token/login');
    expect(loggablePath('/graphql?query={me{id}}')).toBe('/graphql');
    expect(loggablePath('/health')).toBe('/health');
  });
});

describe('Metrics.operationLabel', () => {
  it('keeps well-formed names up to a bound, then counts the rest as "other"', () => {
    const metrics = new Metrics();
    expect(metrics.operationLabel(undefined)).toBe('anonymous');
    expect(metrics.operationLabel('Pay')).toBe('Pay');
    expect(metrics.operationLabel('x'.repeat(65))).toBe('other');
    for (let index = 0; index < 300; index++) metrics.operationLabel(`Op${index}`);
    expect(metrics.operationLabel('Pay')).toBe('Pay');
    expect(metrics.operationLabel('Op150')).toBe('Op150');
    expect(metrics.operationLabel('Op250')).toBe('other');
  });
});
