import { EXCHANGE_TRANSITIONS, ExchangeTransition } from '../exchanges/exchange-states.js';
import { ExchangeStatus } from '../exchanges/models/exchange-enums.js';

/** The manual's page that draws the table, and the markers around the drawing in it. */
export const EXCHANGE_STATES_PAGE = 'docs/exchanges.md';
const BEGIN = '<!-- exchange-states: drawn from src/exchanges/exchange-states.ts by `npm run docs:states` -->';
const END = '<!-- /exchange-states -->';

const label = ({ by, onlyFor }: ExchangeTransition): string => `${by.join(', ')}${onlyFor ? ` (${onlyFor} only)` : ''}`;

/** A status no move leaves: where an exchange ends. */
const isFinal = (status: ExchangeStatus): boolean => !EXCHANGE_TRANSITIONS.some((move) => move.from === status);

/** EXCHANGE_TRANSITIONS as a Mermaid state diagram: every move, labelled with who makes it, and the final statuses. */
export function exchangeStateDiagram(): string {
  const moves = EXCHANGE_TRANSITIONS.map((move) => `  ${move.from ?? '[*]'} --> ${move.to}: ${label(move)}`);
  const ends = Object.values(ExchangeStatus)
    .filter(isFinal)
    .map((status) => `  ${status} --> [*]`);
  return ['```mermaid', 'stateDiagram-v2', ...moves, ...ends, '```'].join('\n');
}

/** The page with the diagram between its markers drawn afresh from the table; the rest as it was. */
export function withExchangeStateDiagram(page: string): string {
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${EXCHANGE_STATES_PAGE} has lost its diagram's markers: ${BEGIN}`);
  return `${page.slice(0, start)}${BEGIN}\n${exchangeStateDiagram()}\n${page.slice(end)}`;
}
