import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createLedgerFixture } from '../../libs/testing/ledger-fixture.js';
import { useTestApp } from '../../libs/testing/test-app.js';
import { LedgerRepository } from '../../src/ledger/ledger.repository.js';

/** A page of transfers loads its accounts and currencies in one query each, not one per row. */
describe('batched loading of related objects', () => {
  const t = useTestApp(4);

  it('answers a page of 10 transfers with one accounts query and one currencies query', async () => {
    const { members, currency } = await createLedgerFixture(t, [{ balance: 1000n }, {}, {}, {}]);
    for (let i = 0; i < 10; i++) {
      const payload = await t.ledger.createTransfer({
        idempotencyKey: randomUUID(), debitAccountId: members[0].id, creditAccountId: members[1 + (i % 3)].id, amount: 5n, code: 'payment', memo: '',
      });
      expect(payload.userErrors).toEqual([]);
    }
    const accounts = jest.spyOn(LedgerRepository.prototype, 'findAccounts');
    const currencies = jest.spyOn(LedgerRepository.prototype, 'findCurrencies');
    try {
      const response = await t.graphql<{ transfers: { edges: { node: { debitAccount: { id: string }; creditAccount: { id: string }; currency: { code: string } } }[] } }>(
        `query($c: ID!) { transfers(currencyId: $c, first: 10) { edges { node {
           debitAccount { id currency { code } } creditAccount { id name } currency { code } } } } }`,
        { c: currency.id },
      );
      expect(response.errors).toBeUndefined();
      const nodes = response.data!.transfers.edges.map((edge) => edge.node);
      expect(nodes).toHaveLength(10);
      expect(new Set(nodes.map((node) => node.debitAccount.id))).toEqual(new Set([members[0].id]));
      expect(new Set(nodes.map((node) => node.creditAccount.id))).toEqual(new Set(members.slice(1).map((member) => member.id)));
      expect(nodes.every((node) => node.currency.code === 'HOUR')).toBe(true);
      expect(accounts).toHaveBeenCalledTimes(1);
      expect(currencies).toHaveBeenCalledTimes(1);
    } finally {
      accounts.mockRestore();
      currencies.mockRestore();
    }
  });
});
