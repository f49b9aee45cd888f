import type { TransactionalConnection } from '../database/transactional-connection.js';
import { refusable, Refusal, refusedPayload } from './refusal.js';
import type { UserError } from './user-errors.js';

interface ThingPayload {
  thing: number | null;
  userErrors: UserError<string>[];
}

/** Runs the work as a transaction would, without a database: what is tested is what happens around it. */
const db = { transaction: <T>(work: () => Promise<T>): Promise<T> => work() } as TransactionalConnection;
const thingError = (code: string): UserError<string> => ({ code, field: null, message: `no: ${code}` });
const refused: (code: string) => ThingPayload = refusedPayload(thingError, { thing: null });

describe('refusable', () => {
  it('answers what the work returns', async () => {
    const made: ThingPayload = { thing: 1, userErrors: [] };
    expect(await refusable(db, refused, async () => made)).toBe(made);
  });

  it('answers a Refusal thrown inside as the refused payload', async () => {
    const payload = await refusable(db, refused, async () => {
      throw new Refusal('HOLD_REFUSED');
    });
    expect(payload).toEqual({ thing: null, userErrors: [thingError('HOLD_REFUSED')] });
  });

  it('lets any other error through', async () => {
    await expect(refusable(db, refused, () => Promise.reject(new Error('deadlock')))).rejects.toThrow('deadlock');
  });
});
