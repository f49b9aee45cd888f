import { QueryFailedError } from 'typeorm';
import { isUnavailable, Unavailable } from './pg-errors.js';

const withCode = (code: string, message = 'failed'): Error => Object.assign(new Error(message), { code });
const asQueryFailed = (driverError: Error): QueryFailedError => new QueryFailedError('SELECT 1', [], driverError);

describe('isUnavailable', () => {
  it.each([
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a connection lost, as TypeORM wraps it', asQueryFailed(new Error('Connection terminated unexpectedly'))],
    ['a pool acquire timeout', new Error('timeout exceeded when trying to connect')],
    ['a connect timeout', new Error('Connection terminated due to connection timeout')],
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    [
      'an administrator shutdown (57P01)',
      asQueryFailed(withCode('57P01', 'terminating connection due to administrator command')),
    ],
    ['a server still starting (57P03)', withCode('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', withCode('08006')],
    ['too many connections (53300)', withCode('53300')],
    ['a statement timeout (57014)', asQueryFailed(withCode('57014', 'canceling statement due to statement timeout'))],
    ['a full queue', new Unavailable('busy')],
  ])('is true for %s', (_what, error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', asQueryFailed(withCode('23505'))],
    ['a deadlock, which is retried instead', withCode('40P01')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a message that only mentions a connection', new Error('the connection string is invalid')],
    ['nothing', undefined],
  ])('is false for %s', (_what, error) => {
    expect(isUnavailable(error)).toBe(false);
  });
});
