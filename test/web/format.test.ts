import i18next from 'i18next';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import ko from '../../web/src/i18n/ko.json' with { type: 'json' };
import { formatAmount } from '../../web/src/format/amount';
import { fieldsOf, toMinorUnits } from '../../web/src/format/amount-input';

/** The demo's currency: an hour counted in minutes. */
const HOUR = { id: 'h', code: 'HOUR', symbol: 'h', minorUnitsPerUnit: 60 };
const EURO = { id: 'e', code: 'EUR', symbol: '€', minorUnitsPerUnit: 100 };

const keys = (catalogue: object, prefix = ''): string[] =>
  Object.entries(catalogue).flatMap(([key, value]) =>
    typeof value === 'object' ? keys(value as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );

describe("the web app's words and amounts", () => {
  const i18n = i18next.createInstance();
  beforeAll(async () => {
    await i18n.init({ resources: { en: { translation: en }, ko: { translation: ko } }, lng: 'en' });
  });
  const amount = (value: string, currency: typeof HOUR, language: 'ko' | 'en') =>
    formatAmount(value, currency, language, i18n.getFixedT(language));

  it('says everything in both languages', () => {
    expect(keys(ko).sort()).toEqual(keys(en).sort());
  });

  it('shows an hour currency in hours and minutes, as each language writes them', () => {
    expect(amount('90', HOUR, 'ko')).toBe('1시간 30분');
    expect(amount('90', HOUR, 'en')).toBe('1 h 30 min');
    expect(amount('120', HOUR, 'en')).toBe('2 h');
    expect(amount('45', HOUR, 'ko')).toBe('45분');
    expect(amount('0', HOUR, 'en')).toBe('0 min');
    expect(amount('-90', HOUR, 'ko')).toBe('−1시간 30분');
    expect(amount('6000090', HOUR, 'en')).toBe('100,001 h 30 min');
  });

  it('shows a decimal currency in its units, exactly, whatever its size', () => {
    expect(amount('1250', EURO, 'en')).toBe('12.50 €');
    expect(amount('-5', EURO, 'ko')).toBe('−0.05 €');
    expect(amount('123456789012345678', EURO, 'en')).toBe('1,234,567,890,123,456.78 €');
  });

  it('reads what a member types into minor units, and refuses what is not an amount', () => {
    expect(toMinorUnits(HOUR, '1', '30')).toBe(90n);
    expect(toMinorUnits(HOUR, '', '45')).toBe(45n);
    expect(toMinorUnits(HOUR, '2', '')).toBe(120n);
    expect(toMinorUnits(HOUR, '-1', '0')).toBeNull();
    expect(toMinorUnits(HOUR, '1.5', '')).toBeNull();
    expect(toMinorUnits(EURO, '12.5', '')).toBe(1250n);
    expect(toMinorUnits(EURO, '12,05', '')).toBe(1205n);
    expect(toMinorUnits(EURO, '0.001', '')).toBeNull();
    expect(toMinorUnits(EURO, 'ten', '')).toBeNull();
  });

  it('shows an amount already set in the fields it was typed in, and reads it back the same', () => {
    const JPY = { id: 'y', code: 'JPY', symbol: '¥', minorUnitsPerUnit: 1 };
    expect(fieldsOf(HOUR, '90')).toEqual({ units: '1', minutes: '30' });
    expect(fieldsOf(EURO, '1205')).toEqual({ units: '12.05', minutes: '' });
    expect(fieldsOf(JPY, '500')).toEqual({ units: '500', minutes: '' });
    for (const [currency, amount] of [
      [HOUR, '0'],
      [HOUR, '605'],
      [EURO, '7'],
      [EURO, '100000'],
      [JPY, '3'],
    ] as const) {
      const { units, minutes } = fieldsOf(currency, amount);
      expect(toMinorUnits(currency, units, minutes)).toBe(BigInt(amount));
    }
  });
});
