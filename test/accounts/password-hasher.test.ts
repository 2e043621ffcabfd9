import { createPasswordHasher } from '../../src/accounts/password-hasher.js';

const light = { memoryKiB: 1024, iterations: 1, parallelism: 1 };

describe('the password hasher', () => {
  it('knows a hash of its own parameters is current', async () => {
    const hasher = createPasswordHasher(light);
    const hash = await hasher.hash('correct horse battery staple');
    expect(hasher.needsRehash(hash)).toBe(false);
    expect(await hasher.verify(hash, 'correct horse battery staple')).toBe(true);
  });

  it('asks for a new hash when any cost parameter differs, even one that starts with the same digits', async () => {
    const hash = await createPasswordHasher(light).hash('correct horse battery staple');
    expect(createPasswordHasher({ ...light, iterations: 2 }).needsRehash(hash)).toBe(true);
    expect(createPasswordHasher({ ...light, memoryKiB: 10240 }).needsRehash(hash)).toBe(true);
    expect(createPasswordHasher({ ...light, parallelism: 2 }).needsRehash(hash)).toBe(true);
    const deeper = await createPasswordHasher({ ...light, memoryKiB: 10240 }).hash('correct horse battery staple');
    expect(createPasswordHasher(light).needsRehash(deeper)).toBe(true);
  });

  it('judges each hash by its own parameters, whatever it judged before', () => {
    const salt = 'c29tZXNhbHRzb21lc2FsdA';
    const digest = 'aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
    const hasher = createPasswordHasher(light);
    expect(hasher.needsRehash(`$argon2id$v=19$m=1024,t=1,p=1$${salt}$${digest}`)).toBe(false);
    expect(hasher.needsRehash(`$argon2id$v=19$m=1024,p=1,t=1$${salt}$${digest}`)).toBe(false);
    expect(hasher.needsRehash(`$argon2id$v=16$m=1024,t=1,p=1$${salt}$${digest}`)).toBe(true);
    expect(hasher.needsRehash(`$argon2id$v=19$m=1024,t=2,p=1$${salt}$${digest}`)).toBe(true);
    expect(hasher.needsRehash(`$argon2id$v=19$m=1024,t=1,p=1$${salt}$${digest}`)).toBe(false);
  });
});
