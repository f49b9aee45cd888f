import { createLedgerFixture } from '../../libs/testing/ledger-fixture.js';
import { startTestApp, TestApp } from '../../libs/testing/test-app.js';

describe('explore', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(4); });
  afterAll(async () => t.close());

  const raw = async (body: string, contentType = 'application/json') => {
    const r = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': contentType }, body });
    return `${r.status} ${await r.text()}`;
  };

  it('prints', async () => {
    const f = await createLedgerFixture(t.ledger, [{ balance: 100n }, {}]);
    const [a, b] = f.members;
    const M = `mutation($input: CreateTransferInput!) { createTransfer(input: $input) { transfer { id amount } replayed userErrors { code field message } } }`;
    const inp = (o: Record<string, unknown>) => ({ input: { idempotencyKey: 'k' + Math.random(), debitAccountId: a.id, creditAccountId: b.id, amount: '5', ...o } });
    const out: string[] = [];
    const g = async (label: string, q: string, v?: Record<string, unknown>) => out.push(label + ' => ' + await raw(JSON.stringify({ query: q, variables: v })));
    await g('ok', M, inp({}));
    for (const amount of [-5, 0, '9007199254740992', 9007199254740992, 1.5, 1.0, true, { x: 1 }, '1e3', ' 5', '05', null, [5]]) await g('amount ' + JSON.stringify(amount), M, inp({ amount }));
    await g('debit big id', M, inp({ debitAccountId: '9999999999999999999' }));
    await g('debit 0', M, inp({ debitAccountId: '0' }));
    await g('debit unknown', M, inp({ debitAccountId: '99999999999' }));
    await g('key empty', M, inp({ idempotencyKey: '' }));
    await g('key long', M, inp({ idempotencyKey: 'x'.repeat(129) }));
    await g('unknown field', M, inp({ nope: 1 }));
    await g('metadata arr', M, inp({ metadata: [1] }));
    await g('literal bool', `mutation { createTransfer(input: {idempotencyKey: "zz1", debitAccountId: "${a.id}", creditAccountId: "${b.id}", amount: true}) { replayed } }`);
    await g('literal unknown', `mutation { createTransfer(input: {idempotencyKey: "zz1", debitAccountId: "${a.id}", creditAccountId: "${b.id}", amount: 5, nope: 1}) { replayed } }`);
    await g('unknown qfield', `{ nope }`);
    await g('syntax', `mutation { createTransfer(`);
    const deep = 'transfer { ' + '... on Transfer { '.repeat(12) + 'id' + ' }'.repeat(12) + ' }';
    await g('deep', `mutation($input: CreateTransferInput!) { createTransfer(input: $input) { ${deep} } }`, inp({}));
    const aliases = Array.from({ length: 11 }, (_, i) => `a${i}: createTransfer(input: {idempotencyKey: "al${i}", debitAccountId: "${a.id}", creditAccountId: "${b.id}", amount: 1}) { replayed }`).join(' ');
    await g('aliases', `mutation { ${aliases} }`);
    await g('tokens', `mutation($input: CreateTransferInput!) { createTransfer(input: $input) { replayed ${'replayed '.repeat(2000)} } }`, inp({}));
    await g('cursor', `{ account(id: "${a.id}") { statement(after: "nope") { edges { cursor } } } }`);
    await g('cursor big', `{ account(id: "${a.id}") { statement(after: "${Buffer.from('v1:9999999999999999999').toString('base64url')}") { edges { cursor } } } }`);
    await g('transfers cursor big', `{ transfers(after: "${Buffer.from('v1:9999999999999999999').toString('base64url')}") { edges { cursor } } }`);
    await g('first0', `{ transfers(first: 0) { edges { cursor } } }`);
    await g('first1000 stmt', `{ account(id: "${a.id}") { statement(first: 1000) { edges { cursor } } } }`);
    await g('account big id', `{ account(id: "9999999999999999999") { id } }`);
    await g('account bad id', `{ account(id: "abc") { id } }`);
    await g('transfers big accountId', `{ transfers(accountId: "9999999999999999999") { edges { cursor } } }`);
    await g('cost', `{ ${Array.from({ length: 10 }, (_, i) => `a${i}: transfers(first: 100) { edges { node { debitAccount { statement { edges { node { id amount balanceAfter } } } } } } }`).join(' ')} }`);
    out.push('malformed => ' + await raw('{"query": "mutation {'));
    out.push('text/plain => ' + await raw(JSON.stringify({ query: '{ communities { id } }' }), 'text/plain'));
    out.push('form => ' + await raw('query=%7Bcommunities%7Bid%7D%7D', 'application/x-www-form-urlencoded'));
    out.push('graphql ct => ' + await raw('{ communities { id } }', 'application/graphql'));
    out.push('array => ' + await raw('[]'));
    out.push('string => ' + await raw('"x"'));
    out.push('obj nonq => ' + await raw('{"foo":1}'));
    out.push('huge => ' + (await raw(JSON.stringify({ query: '{ communities { id } }', variables: { x: 'y'.repeat(300000) } }))).slice(0, 300));
    console.log(out.join('\n'));
  });
});
