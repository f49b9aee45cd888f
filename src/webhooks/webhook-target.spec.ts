import { isPublicAddress, resolveTarget, TargetRefused } from './webhook-target.js';

describe('webhook targets', () => {
  it.each([
    '10.0.0.1',
    '127.0.0.1',
    '169.254.169.254',
    '172.16.5.4',
    '192.168.1.1',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a00:1',
    'fe80::1',
    'fd00::1',
    'ff02::1',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    'ftp://example.com/hook',
    'file:///etc/passwd',
    'http://user:secret@example.com/',
    'not a url',
    'http://10.0.0.1/hook',
    'http://127.0.0.1:8080/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://localhost/hook',
  ])('refuses %s', async (url) => {
    await expect(resolveTarget(url, false)).rejects.toBeInstanceOf(TargetRefused);
  });

  it('lets the operator allow private targets, and connects to the address it checked', async () => {
    await expect(resolveTarget('http://127.0.0.1:8080/hook', true)).resolves.toMatchObject({
      addresses: [{ address: '127.0.0.1', family: 4 }],
    });
    await expect(resolveTarget('http://[::1]:8080/hook', true)).resolves.toMatchObject({
      addresses: [{ address: '::1', family: 6 }],
    });
    await expect(resolveTarget('ftp://127.0.0.1/hook', true)).rejects.toBeInstanceOf(TargetRefused);
  });

  it('takes public addresses as they are', async () => {
    await expect(resolveTarget('https://93.184.216.34/hook', false)).resolves.toMatchObject({
      addresses: [{ address: '93.184.216.34', family: 4 }],
    });
  });
});
