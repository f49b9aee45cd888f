import { readFileSync } from 'node:fs';
import { EXCHANGE_STATES_PAGE, exchangeStateDiagram, withExchangeStateDiagram } from './exchange-state-diagram.js';

describe('the exchange state diagram', () => {
  it(`in ${EXCHANGE_STATES_PAGE} is the table as it is now (npm run docs:states redraws it)`, () => {
    const page = readFileSync(EXCHANGE_STATES_PAGE, 'utf8');
    expect(page).toContain(exchangeStateDiagram());
    expect(withExchangeStateDiagram(page)).toBe(page);
  });

  it('draws each move with who makes it, and where exchanges end', () => {
    expect(exchangeStateDiagram().split('\n')).toEqual(
      expect.arrayContaining([
        '  [*] --> proposed: provider, receiver',
        '  accepted --> confirmed: group settlement (group only)',
        '  delivered --> confirmed: receiver, system (single only)',
        '  expired --> [*]',
      ]),
    );
  });

  it('refuses a page that lost its markers, rather than guess where the diagram goes', () => {
    expect(() => withExchangeStateDiagram('# Exchanges\n')).toThrow(/lost its diagram.s markers/);
  });
});
