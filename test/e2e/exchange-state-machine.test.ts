import { LedgerFixture } from '../support/ledger-fixture.js';
import { GraphqlClient, useTestApp } from '../support/test-app.js';
import { EXCHANGE_TRANSITIONS, ExchangeKind, ExchangeMover } from '../../src/exchanges/exchange-states.js';
import { ExchangeStatus } from '../../src/exchanges/models/exchange-enums.js';
import { loginAsNewAdmin } from './auth-client.js';
import {
  accept,
  confirm,
  deliver,
  exchangeCommunity,
  exchangeTrail,
  ExchangeStep,
  ExchangeView,
  fetchExchange,
  makeDue,
  Party,
  proposedExchange,
  stepAudit,
  stepOk,
  stepOutcome,
  sweepExchanges,
} from './exchange-client.js';
import { gql, USER_ERRORS, UserErrorView } from './graphql-client.js';
import { succeed } from './member-client.js';

const { PROPOSED, ACCEPTED, DELIVERED, CONFIRMED, CANCELLED, DISPUTED, RESOLVED, EXPIRED } = ExchangeStatus;
const ESTIMATE = 60;
const KINDS: ExchangeKind[] = ['single', 'group'];

const PLACE_FIELDS = 'id communityId proposerId groupId status';
const GROUP_PAYLOAD = `exchanges { ${PLACE_FIELDS} } ${USER_ERRORS}`;
const PROPOSE_GROUP = `mutation ProposeGroup($input: ProposeGroupExchangeInput!) {
  proposeGroupExchange(input: $input) { ${GROUP_PAYLOAD} }
}`;
const SETTLE_GROUP = `mutation SettleGroup($input: SettleExchangeGroupInput!) {
  settleExchangeGroup(input: $input) { ${GROUP_PAYLOAD} }
}`;

interface GroupPayloadView {
  exchanges: Exchange[];
  userErrors: UserErrorView[];
}

/** What a move needs to know of an exchange. */
type Exchange = Pick<ExchangeView, 'id' | 'communityId' | 'proposerId'> & { groupId: string | null };

/** A fresh community: the receiver holds 600, the provider nothing. */
interface Scene {
  fixture: LedgerFixture;
  receiver: Party;
  provider: Party;
  /** A group has two places at least: the other one is this member's, and stays proposed. */
  fellow: Party;
}

/** One move of the table, as one mover makes it, on one kind of exchange. */
interface Walk {
  from: ExchangeStatus | null;
  to: ExchangeStatus;
  by: ExchangeMover;
  kind: ExchangeKind;
}

/**
 * How the tests bring an exchange into each status it can reach: the move into it, from the status
 * before. A group's place is never delivered (its group settles it), so it reaches fewer statuses.
 */
const WAY_IN: Record<ExchangeKind, Partial<Record<ExchangeStatus, [ExchangeStatus | null, ExchangeMover]>>> = {
  single: {
    [PROPOSED]: [null, 'receiver'],
    [ACCEPTED]: [PROPOSED, 'counterparty'],
    [DELIVERED]: [ACCEPTED, 'provider'],
    [CONFIRMED]: [DELIVERED, 'receiver'],
    [CANCELLED]: [PROPOSED, 'receiver'],
    [DISPUTED]: [DELIVERED, 'receiver'],
    [RESOLVED]: [DISPUTED, 'coordinator'],
    [EXPIRED]: [ACCEPTED, 'system'],
  },
  group: {
    [PROPOSED]: [null, 'provider'],
    [ACCEPTED]: [PROPOSED, 'counterparty'],
    [CONFIRMED]: [ACCEPTED, 'group settlement'],
    [CANCELLED]: [PROPOSED, 'receiver'],
    [EXPIRED]: [ACCEPTED, 'system'],
  },
};

/** A move the API can make: from a status the kind reaches; only its provider proposes a group. */
function walkable({ from, by, kind }: Walk): boolean {
  return from === null ? kind === 'single' || by === 'provider' : WAY_IN[kind][from] !== undefined;
}

const kindsOf = (onlyFor?: ExchangeKind): ExchangeKind[] => KINDS.filter((kind) => (onlyFor ?? kind) === kind);

/** Every move of the table, by each of its movers, on each kind of exchange it is for that the API can reach. */
const WALKS: Walk[] = EXCHANGE_TRANSITIONS.flatMap(({ from, to, by, onlyFor }) =>
  by.flatMap((mover) => kindsOf(onlyFor).map((kind) => ({ from, to, by: mover, kind }))),
).filter(walkable);

const describeWalk = ({ from, to, by, kind }: Walk): string => `${kind}: ${from ?? '(start)'} → ${to} by ${by}`;

/** An action of the API, by the one who would take it, and the move it asks for. */
interface Action {
  step: ExchangeStep | 'settleExchangeGroup';
  by: ExchangeMover;
  to: ExchangeStatus;
  input?: Record<string, unknown>;
}

const ACTIONS: Action[] = [
  { step: 'acceptExchange', by: 'counterparty', to: ACCEPTED },
  { step: 'markExchangeDelivered', by: 'provider', to: DELIVERED, input: { actualAmount: String(ESTIMATE) } },
  { step: 'confirmExchange', by: 'receiver', to: CONFIRMED },
  { step: 'cancelExchange', by: 'receiver', to: CANCELLED },
  { step: 'cancelExchange', by: 'provider', to: CANCELLED },
  { step: 'disputeExchange', by: 'receiver', to: DISPUTED, input: { reason: 'Not what we agreed' } },
  { step: 'disputeExchange', by: 'provider', to: DISPUTED, input: { reason: 'Not what we agreed' } },
  { step: 'resolveExchangeDispute', by: 'coordinator', to: RESOLVED, input: { outcome: 'VOID', reason: 'Heard them' } },
  { step: 'settleExchangeGroup', by: 'group settlement', to: CONFIRMED },
];

/** Whether the table allows the action's move from this status, for this kind of exchange. */
const allows = (from: ExchangeStatus, kind: ExchangeKind, { to, by }: Action): boolean =>
  EXCHANGE_TRANSITIONS.some(
    (move) => move.from === from && move.to === to && move.by.includes(by) && kindsOf(move.onlyFor).includes(kind),
  );

/**
 * What the API answers an action the status does not allow, as it always has: WRONG_STATUS; for a
 * group's place, a step only a single exchange takes says the group settles together, and settling
 * a group with no place to settle says so.
 */
function refusalOf(kind: ExchangeKind, { step }: Action): string {
  if (kind === 'single') return 'WRONG_STATUS';
  if (step === 'settleExchangeGroup') return 'NOTHING_TO_SETTLE';
  return step === 'markExchangeDelivered' || step === 'confirmExchange' ? 'GROUP_SETTLES_TOGETHER' : 'WRONG_STATUS';
}

/** Only a group is settled as one. */
const actionsOn = (kind: ExchangeKind): Action[] =>
  ACTIONS.filter((action) => kind === 'group' || action.step !== 'settleExchangeGroup');

const apiStatus = (status: ExchangeStatus) => status.toUpperCase() as ExchangeView['status'];

/**
 * The state machine of src/exchanges/exchange-states.ts through GraphQL over real HTTP: every move
 * of the table, by each of its movers (the sweeper's included), goes through and is audited as that
 * mover; and from every status an exchange or a group's place reaches, every action the table does
 * not allow is refused with its code, leaving the exchange and its trail as they were.
 */
describe('the exchange state machine over GraphQL', () => {
  const t = useTestApp();

  async function scene(): Promise<Scene> {
    const {
      fixture,
      parties: [receiver, provider, fellow],
    } = await exchangeCommunity(t, [{ balance: 600n }, {}, {}]);
    return { fixture, receiver, provider, fellow };
  }

  /** A new exchange: a single one proposed by either party, or the receiver's place in a group of the provider. */
  async function propose(s: Scene, kind: ExchangeKind, by: ExchangeMover): Promise<Exchange> {
    const { fixture, receiver, provider, fellow } = s;
    const communityId = fixture.community.id;
    if (kind === 'group') {
      const receiverIds = [receiver.memberId, fellow.memberId];
      const input = { communityId, receiverIds, estimatedAmount: String(ESTIMATE) };
      const payload = await gql<{ proposeGroupExchange: GroupPayloadView }>(provider.client, PROPOSE_GROUP, { input });
      expect(payload.proposeGroupExchange.userErrors).toEqual([]);
      return payload.proposeGroupExchange.exchanges[0];
    }
    const proposed =
      by === 'receiver'
        ? await proposedExchange(receiver, provider, communityId, ESTIMATE)
        : await stepOk(provider.client, 'proposeExchange', {
            communityId,
            counterpartyId: receiver.memberId,
            role: 'PROVIDER',
            estimatedAmount: String(ESTIMATE),
          });
    return { ...proposed, groupId: null };
  }

  async function settleGroup(client: GraphqlClient, groupId: string): Promise<GroupPayloadView> {
    const input = { groupId, actualAmount: String(ESTIMATE) };
    return (await gql<{ settleExchangeGroup: GroupPayloadView }>(client, SETTLE_GROUP, { input })).settleExchangeGroup;
  }

  /** The party who did not propose the exchange. */
  const counterpartyOf = ({ receiver, provider }: Scene, exchange: Exchange): Party =>
    exchange.proposerId === provider.memberId ? receiver : provider;

  /** The client of whoever takes a step as this mover. */
  function clientOf(s: Scene, exchange: Exchange, by: ExchangeMover): GraphqlClient {
    const { fixture, receiver, provider } = s;
    const clients: Partial<Record<ExchangeMover, GraphqlClient>> = {
      provider: provider.client,
      receiver: receiver.client,
      counterparty: counterpartyOf(s, exchange).client,
      coordinator: fixture.asCoordinator(),
      'group settlement': provider.client,
    };
    return clients[by]!;
  }

  /** Makes the exchange due and sweeps, as its time would: the sweeper moves it. */
  async function swept(exchange: Exchange, { receiver }: Scene, status: ExchangeStatus): Promise<void> {
    await makeDue(t, exchange.id);
    await sweepExchanges(t);
    expect((await fetchExchange(receiver.client, exchange.id)).status).toBe(apiStatus(status));
  }

  /** The sweeper disputes a due exchange the ledger will not settle: here, for the provider's frozen account. */
  async function sweptWhileFrozen(exchange: Exchange, s: Scene): Promise<void> {
    const coordinator = s.fixture.asCoordinator();
    await succeed(coordinator, 'freezeAccount', { accountId: s.provider.accountId, reason: 'Under review' });
    try {
      await swept(exchange, s, DISPUTED);
    } finally {
      await succeed(coordinator, 'unfreezeAccount', { accountId: s.provider.accountId, reason: 'Cleared' });
    }
  }

  const step = (client: GraphqlClient, name: ExchangeStep, exchange: Exchange, input: Record<string, unknown> = {}) =>
    stepOk(client, name, { exchangeId: exchange.id, ...input });
  const resolve = (client: GraphqlClient, exchange: Exchange) =>
    step(client, 'resolveExchangeDispute', exchange, { outcome: 'VOID', reason: 'Heard both sides' });

  /** Each move of the table through the API, by `${to} by ${mover}`. */
  const MOVES: Record<string, (exchange: Exchange, s: Scene) => Promise<unknown>> = {
    'accepted by counterparty': (exchange, s) => accept(counterpartyOf(s, exchange), exchange.id),
    'cancelled by provider': (exchange, s) => step(s.provider.client, 'cancelExchange', exchange),
    'cancelled by receiver': (exchange, s) => step(s.receiver.client, 'cancelExchange', exchange),
    'delivered by provider': (exchange, s) => deliver(s.provider, exchange.id, ESTIMATE),
    'confirmed by receiver': (exchange, s) => confirm(s.receiver, exchange.id),
    'confirmed by group settlement': async (exchange, s) => {
      expect((await settleGroup(s.provider.client, exchange.groupId!)).userErrors).toEqual([]);
    },
    'confirmed by system': (exchange, s) => swept(exchange, s, CONFIRMED),
    'expired by system': (exchange, s) => swept(exchange, s, EXPIRED),
    'disputed by provider': (exchange, s) => step(s.provider.client, 'disputeExchange', exchange, { reason: 'Unpaid' }),
    'disputed by receiver': (exchange, s) => step(s.receiver.client, 'disputeExchange', exchange, { reason: 'Undone' }),
    'disputed by system': sweptWhileFrozen,
    'resolved by coordinator': (exchange, s) => resolve(s.fixture.asCoordinator(), exchange),
    'resolved by admin': async (exchange) => resolve((await loginAsNewAdmin(t)).client, exchange),
  };

  /** Makes one move (or, from the start, proposes): the test fails on a move the API cannot make. */
  async function move(s: Scene, { from, to, by, kind }: Walk, exchange: Exchange | null): Promise<Exchange> {
    if (from === null) return propose(s, kind, by);
    const make = MOVES[`${to} by ${by}`];
    if (!make) throw new Error(`no move to ${to} by ${by} through the API: add one to MOVES`);
    await make(exchange!, s);
    return exchange!;
  }

  /** An exchange of this kind brought into `status` by the ways in, from a proposal on. */
  async function exchangeIn(s: Scene, kind: ExchangeKind, status: ExchangeStatus | null): Promise<Exchange | null> {
    if (status === null) return null;
    const [from, by] = WAY_IN[kind][status]!;
    return move(s, { from, to: status, by, kind }, await exchangeIn(s, kind, from));
  }

  it('walks every move of the table, by each of its movers', () => {
    const walked = new Set(WALKS.map(({ from, to, by }) => `${from} ${to} ${by}`));
    const moves = EXCHANGE_TRANSITIONS.flatMap(({ from, to, by }) => by.map((mover) => `${from} ${to} ${mover}`));
    expect(moves.filter((key) => !walked.has(key))).toEqual([]);
  });

  it.each(WALKS.map((walk) => [describeWalk(walk), walk] as const))('%s', async (_, walk) => {
    const s = await scene();
    const exchange = await move(s, walk, await exchangeIn(s, walk.kind, walk.from));

    expect(await fetchExchange(s.receiver.client, exchange.id)).toMatchObject({ status: apiStatus(walk.to) });
    const actorRole = walk.by === 'system' || walk.by === 'coordinator' || walk.by === 'admin' ? walk.by : 'member';
    expect(await stepAudit(t, exchange, walk.to)).toEqual([expect.objectContaining({ actorRole })]);
  });

  const states = KINDS.flatMap((kind) =>
    Object.keys(WAY_IN[kind]).map((status) => [kind, status as ExchangeStatus] as const),
  );
  const refusals = 'a %s exchange that is %s: each action the table does not allow is refused, changing nothing';

  it.each(states)(refusals, async (kind, status) => {
    const s = await scene();
    const exchange = (await exchangeIn(s, kind, status))!;
    const snapshot = async () => ({
      exchange: await fetchExchange(s.receiver.client, exchange.id),
      trail: await exchangeTrail(t, exchange),
    });
    const before = await snapshot();
    const refused = actionsOn(kind).filter((action) => !allows(status, kind, action));

    const outcomes: string[] = [];
    for (const action of refused) {
      outcomes.push(`${action.step} by ${action.by}: ${await attempt(s, exchange, action)}`);
    }

    expect(outcomes).toEqual(refused.map((action) => `${action.step} by ${action.by}: ${refusalOf(kind, action)}`));
    expect(await snapshot()).toEqual(before);
  });

  /** How an action ended: OK, or the code of its one refusal (or of a top-level error). */
  async function attempt(s: Scene, exchange: Exchange, action: Action): Promise<string> {
    const client = clientOf(s, exchange, action.by);
    if (action.step !== 'settleExchangeGroup') {
      return stepOutcome(client, action.step, { exchangeId: exchange.id, ...action.input });
    }
    const payload = await settleGroup(client, exchange.groupId!);
    return payload.userErrors.length ? payload.userErrors.map((error) => error.code).join(',') : 'OK';
  }
});
