import { ClientError } from '../graphql/error-code.js';
import { requireStrongPassword } from './password-strength.js';

const ada = { email: 'ada.lovelace@example.org', displayName: 'Ada Lovelace' };

async function refusal(password: string): Promise<unknown> {
  try {
    await requireStrongPassword(password, 'password', ada);
    return null;
  } catch (error) {
    return error instanceof ClientError ? error.details : error;
  }
}

describe('requireStrongPassword', () => {
  it.each(['1234567890', '          ', 'password123', 'qwertyuiop', 'ada.lovelace', 'AdaLovelace1', 'lovelace1815'])(
    'refuses %j as PASSWORD_TOO_WEAK',
    async (password) => {
      expect(await refusal(password)).toEqual({
        invalidFields: [
          {
            field: 'password',
            message: expect.stringMatching(/^password is too easy to guess/),
            code: 'PASSWORD_TOO_WEAK',
          },
        ],
      });
    },
  );

  it.each(['correct horse battery staple', 'tram-oak-91', 'lf-3ihZ3tVB5'])('accepts %j', async (password) => {
    expect(await refusal(password)).toBeNull();
  });
});
