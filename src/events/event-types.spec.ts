import { fromGlobalId } from '../../libs/graphql/global-id.js';
import { payloadV1 } from './event-types.js';

describe('payloadV1', () => {
  it('shows ids as global ids, keeps the rest, and says its version', () => {
    const shown = payloadV1('transfer', {
      transferId: '7',
      debitAccountId: '1',
      creditAccountId: '2',
      pendingId: null,
      amount: '30',
      code: 'payment',
    });
    expect(shown).toMatchObject({ version: 1, amount: '30', code: 'payment', pendingId: null });
    expect(fromGlobalId(shown.transferId as string)).toEqual({ typeName: 'Transfer', databaseId: '7' });
    expect(fromGlobalId(shown.creditAccountId as string)).toEqual({ typeName: 'Account', databaseId: '2' });
  });

  it("names a payload's own id by its aggregate", () => {
    const shown = payloadV1('review', { id: '3', rating: 5 });
    expect(fromGlobalId(shown.id as string)).toEqual({ typeName: 'Review', databaseId: '3' });
    expect(shown.rating).toBe(5);
  });
});
