import { databaseIdOf, fromGlobalId, toGlobalId, UNKNOWN_DATABASE_ID } from './global-id.js';

describe('global ids', () => {
  it('are the base64 of Type:id, as graphql-relay writes them', () => {
    expect(toGlobalId('Account', '42')).toBe(Buffer.from('Account:42').toString('base64'));
    expect(toGlobalId('Account', '42')).toBe('QWNjb3VudDo0Mg==');
    expect(fromGlobalId('QWNjb3VudDo0Mg==')).toEqual({ typeName: 'Account', databaseId: '42' });
  });

  it('differ between types for the same row number', () => {
    expect(toGlobalId('Member', '42')).not.toBe(toGlobalId('Account', '42'));
  });

  it('refuse what is not one of ours', () => {
    for (const text of ['', 'abc', '42', 'Account:42', Buffer.from('Account:0').toString('base64')])
      expect(fromGlobalId(text)).toBeNull();
    // Base64 without its padding decodes to the same bytes, but is not the id we gave out.
    expect(fromGlobalId('QWNjb3VudDo0Mg')).toBeNull();
    expect(fromGlobalId(Buffer.from('Account:99999999999999999999').toString('base64'))).toBeNull();
  });

  describe('as input', () => {
    it('give the database id of the type expected there', () => {
      expect(databaseIdOf(toGlobalId('Account', '42'), 'Account')).toBe('42');
    });

    it('accept bare database ids as they are (deprecated), so that their checks stay', () => {
      expect(databaseIdOf('42', 'Account')).toBe('42');
      expect(databaseIdOf('0', 'Account')).toBe('0');
      expect(databaseIdOf('-1', 'Account')).toBe('-1');
    });

    it('name no row when of another type, or not ours', () => {
      for (const text of [toGlobalId('Member', '42'), 'abc', 'QWNjb3VudDo0Mg', ''])
        expect(databaseIdOf(text, 'Account')).toBe(UNKNOWN_DATABASE_ID);
    });
  });
});
