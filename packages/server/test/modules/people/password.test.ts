import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../src/modules/people/password.ts';

describe('password hashing', () => {
  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('s3cret-密码');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(await verifyPassword('s3cret-密码', hash)).toBe(true);
    expect(await verifyPassword('s3cret-密碼', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same', a)).toBe(true);
    expect(await verifyPassword('same', b)).toBe(true);
  });

  it('reads its parameters from the stored string', async () => {
    const hash = await hashPassword('pw');
    const [, , , , salt, key] = hash.split('$');
    // Same salt and key under other parameters must not verify.
    expect(await verifyPassword('pw', `scrypt$8192$8$1$${salt}$${key}`)).toBe(false);
  });

  it('returns false for malformed or hostile hashes instead of throwing', async () => {
    for (const stored of ['', 'plain', 'scrypt$1$8$1$aa$bb', 'scrypt$16384$8$1$$', 'bcrypt$2b$10$abc', 'scrypt$1073741824$8$1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'scrypt$16383$8$1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      expect(await verifyPassword('pw', stored)).toBe(false);
    }
  });
});
