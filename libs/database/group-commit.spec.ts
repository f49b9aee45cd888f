import { GroupCommit } from './group-commit.js';

const tick = (): Promise<void> => new Promise((done) => setImmediate(done));

describe('GroupCommit', () => {
  it('writes a lone request at once, and gathers those that arrive meanwhile into one group, in order', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((done) => (release = done));
    const commit = new GroupCommit<number, string>(
      async (items) => {
        groups.push(items);
        if (groups.length === 1) await gate;
        return items.map((item) => `ok ${item}`);
      },
      { maxGroup: 10, maxInFlight: 1 },
    );

    const first = commit.submit(1);
    await tick();
    const rest = [2, 3, 4].map((item) => commit.submit(item));
    release();
    expect(await Promise.all([first, ...rest])).toEqual(['ok 1', 'ok 2', 'ok 3', 'ok 4']);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });

  it('caps group size', async () => {
    const sizes: number[] = [];
    const commit = new GroupCommit<number, number>(
      async (items) => {
        sizes.push(items.length);
        await tick();
        return items;
      },
      { maxGroup: 2, maxInFlight: 1 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((item) => commit.submit(item)));
    expect(Math.max(...sizes)).toBe(2);
    expect(sizes.reduce((a, b) => a + b)).toBe(5);
  });

  it('retries a failed group one by one, so only the bad item fails', async () => {
    const commit = new GroupCommit<number, number>(
      async (items) => {
        await tick();
        if (items.includes(13)) throw new Error('unlucky');
        return items.map((item) => item * 2);
      },
      { maxGroup: 10, maxInFlight: 1 },
    );
    const results = await Promise.allSettled([1, 13, 3].map((item) => commit.submit(item)));
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : 'failed'))).toEqual([
      2,
      'failed',
      6,
    ]);
  });

  it('fails a whole group at once when the database is unavailable, instead of trying each item again', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((done) => (release = done));
    const commit = new GroupCommit<number, number>(
      async (items) => {
        groups.push(items);
        await gate;
        throw Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
      },
      { maxGroup: 10, maxInFlight: 1 },
    );
    const first = commit.submit(0);
    await tick();
    const rest = [1, 2, 3].map((item) => commit.submit(item));
    release();
    const results = await Promise.allSettled([first, ...rest]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(groups).toEqual([[0], [1, 2, 3]]);
  });

  it('holds back, while a group is in flight, items that conflict with it, and sends them with those that gather meanwhile', async () => {
    const groups: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((done) => (release = done));
    const commit = new GroupCommit<string, string>(
      async (items) => {
        groups.push(items);
        if (groups.length === 1) await gate;
        return items;
      },
      // Each item locks the accounts named by its letters.
      { maxGroup: 10, maxInFlight: 2, conflictKeys: (item) => item.split('') },
    );

    const first = commit.submit('ab');
    await tick();
    const conflicting = commit.submit('bc');
    const free = commit.submit('de');
    await free;
    const gathered = commit.submit('af');
    release();
    expect(await Promise.all([first, conflicting, free, gathered])).toEqual(['ab', 'bc', 'de', 'af']);
    expect(groups).toEqual([['ab'], ['de'], ['bc', 'af']]);
  });
});
