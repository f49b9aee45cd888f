import { foldPath, merklePaths, merkleRoot, sha256 } from './merkle.js';

const entries = (count: number): Buffer[] => Array.from({ length: count }, (_, i) => sha256(`entry ${i}`));
const packed = (hashes: Buffer[]): Buffer => Buffer.concat(hashes);

describe('Merkle proofs', () => {
  it.each([1, 2, 3, 5, 8, 13, 100])('lead every one of %i entries to the root', (count) => {
    const hashes = entries(count);
    const root = merkleRoot(packed(hashes));
    const paths = merklePaths(
      packed(hashes),
      hashes.map((_, i) => i),
    );
    hashes.forEach((hash, i) => expect(foldPath(hash, paths[i]).equals(root)).toBe(true));
  });

  it('fail for an altered entry, a path of another entry, and a swapped side', () => {
    const hashes = entries(7);
    const root = merkleRoot(packed(hashes));
    const [path3, path4] = merklePaths(packed(hashes), [3, 4]);
    expect(foldPath(sha256('forged'), path3).equals(root)).toBe(false);
    expect(foldPath(hashes[3], path4).equals(root)).toBe(false);
    const swapped = path3.map((step, i) =>
      i === 0 ? { ...step, side: step.side === 'LEFT' ? ('RIGHT' as const) : ('LEFT' as const) } : step,
    );
    expect(foldPath(hashes[3], swapped).equals(root)).toBe(false);
  });

  it('keep a leaf apart from an inner node, so a subtree cannot pose as an entry', () => {
    const hashes = entries(2);
    const root = merkleRoot(packed(hashes));
    expect(merkleRoot(root).equals(root)).toBe(false);
  });
});
