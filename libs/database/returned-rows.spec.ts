import { returnedRows } from './returned-rows.js';

describe('returnedRows', () => {
  it('takes the rows of an UPDATE or DELETE answer, which TypeORM pairs with the row count', () => {
    expect(returnedRows([[{ id: '1' }], 1])).toEqual([{ id: '1' }]);
    expect(returnedRows([[], 0])).toEqual([]);
  });

  it('keeps the rows of a SELECT or INSERT answer as they are, two rows included', () => {
    expect(returnedRows([{ id: '1' }, { id: '2' }])).toEqual([{ id: '1' }, { id: '2' }]);
    expect(returnedRows([])).toEqual([]);
  });
});
