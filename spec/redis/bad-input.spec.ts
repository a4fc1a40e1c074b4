import { Signal } from '../../lib/core';
import { redisBridge, type Codec, type RedisBridge } from '../../lib/redis';
import { RedisServer, describeWithRedis, freePort } from './support/redis-server';
import type { Numbered } from './support/instances';

describe('redisBridge(options): bad options throw at the call', () => {
  it.each<[string, unknown, RegExp]>([
    ['options not an object', 'redis://x', /redisBridge\(\): options must be an object, got the string/],
    ['unknown option', { urll: 'redis://x' }, /unknown option "urll"\. Allowed options: url, client/],
    [
      'url not a redis URL',
      { url: 'http://x' },
      /options\.url must be a redis:\/\/ or rediss:\/\/ URL, got the string "http:\/\/x"/,
    ],
    [
      'url and client',
      { url: 'redis://x', client: { duplicate() {} } },
      /give options\.url or options\.client, not both/,
    ],
    ['client not a client', { client: {} }, /options\.client must be a node-redis client/],
    ['instanceId with a space', { instanceId: 'a b' }, /options\.instanceId must be a string of 1 to 128 letters/],
    ['namespace empty', { namespace: '' }, /options\.namespace must be a non-empty string without spaces/],
    ['outboxSize 1.5', { outboxSize: 1.5 }, /options\.outboxSize must be a whole number >= 1, got the number 1\.5/],
  ])('%s: TypeError', (_, options, message) => {
    expect(() => redisBridge(options as never)).toThrow(TypeError);
    expect(() => redisBridge(options as never)).toThrow(message);
  });

  it.each<[string, unknown, RegExp]>([
    ['outboxSize 0', { outboxSize: 0 }, /options\.outboxSize must be a whole number >= 1, got the number 0/],
    [
      'maxPayloadBytes over 512 MiB',
      { maxPayloadBytes: 2 ** 30 },
      /options\.maxPayloadBytes must be at most 536870912/,
    ],
    [
      'closeTimeoutMs over 2^31-1',
      { closeTimeoutMs: 2 ** 31 },
      /options\.closeTimeoutMs must be a number of milliseconds >= 0 and at most 2147483647/,
    ],
    ['closeTimeoutMs negative', { closeTimeoutMs: -1 }, /options\.closeTimeoutMs must be a number of milliseconds/],
  ])('%s: RangeError', (_, options, message) => {
    expect(() => redisBridge(options as never)).toThrow(RangeError);
    expect(() => redisBridge(options as never)).toThrow(message);
  });

  it('Redis unreachable: rejects naming the URL (password hidden), without waiting long', async () => {
    const port = await freePort(); // nothing listens there
    const started = performance.now();
    await expect(redisBridge({ url: `redis://user:secret@127.0.0.1:${port}` })).rejects.toThrow(
      `redisBridge(): cannot reach Redis at redis://user:***@127.0.0.1:${port}`,
    );
    expect(performance.now() - started).toBeLessThan(2_000); // refused: no retries before the first connection
  });
});

describeWithRedis('bridge methods: bad input throws a TypeError or RangeError at the call', () => {
  let server: RedisServer;
  let bridge: RedisBridge;
  const signal = new Signal<Numbered>('orders');

  beforeAll(async () => {
    server = await RedisServer.start();
    bridge = await redisBridge({ url: server.url, namespace: 'bad' });
    bridge.errors$.subscribe(() => {});
  });
  afterAll(async () => {
    await bridge?.close();
    await server?.stop();
  });

  const receiver = () => {};
  const noDecode = { encode: () => '' } as unknown as Codec<Numbered>;

  it.each<[string, () => unknown, ErrorConstructor, RegExp]>([
    [
      'broadcast of a non-signal',
      () => bridge.broadcast({ name: 'x' } as never),
      TypeError,
      /bridge\.broadcast\(signal\): signal must be a Signal, got an object/,
    ],
    [
      'durable not a boolean',
      () => bridge.broadcast(signal, { durable: 'yes' as never }),
      TypeError,
      /options\.durable must be true or false/,
    ],
    [
      'maxLen 0',
      () => bridge.broadcast(signal, { maxLen: 0 }),
      RangeError,
      /options\.maxLen must be a whole number >= 1, got the number 0/,
    ],
    [
      'codec without decode',
      () => bridge.broadcast(signal, { codec: noDecode }),
      TypeError,
      /options\.codec must be an object with encode\(args\) and decode\(payload\) functions/,
    ],
    [
      'unknown broadcast option',
      () => bridge.broadcast(signal, { durabel: true } as never),
      TypeError,
      /unknown option "durabel"/,
    ],
    [
      'share with a codec that is a function',
      () => bridge.share(signal, { codec: JSON.stringify as never }),
      TypeError,
      /options\.codec must be an object/,
    ],
    [
      'connect without options',
      () => bridge.connect(signal, receiver, undefined as never),
      TypeError,
      /options\.group is required/,
    ],
    [
      'group empty',
      () => bridge.connect(signal, receiver, { group: ' ' }),
      TypeError,
      /options\.group must be a non-empty string naming the consumer group, got the string " "/,
    ],
    [
      'group a number',
      () => bridge.connect(signal, receiver, { group: 5 as never }),
      TypeError,
      /options\.group must be a non-empty string/,
    ],
    [
      'receiver not a function',
      () => bridge.connect(signal, 'r' as never, { group: 'g' }),
      TypeError,
      /the receiver must be a function, got the string "r"/,
    ],
    [
      'maxAttempts 0',
      () => bridge.connect(signal, receiver, { group: 'g', maxAttempts: 0 }),
      RangeError,
      /options\.maxAttempts must be a whole number >= 1/,
    ],
    [
      'claimIdleMs over 2^31-1',
      () => bridge.connect(signal, receiver, { group: 'g', claimIdleMs: 2 ** 31 }),
      RangeError,
      /options\.claimIdleMs must be a number of milliseconds above 0 and at most 2147483647/,
    ],
    [
      'claimIdleMs 0',
      () => bridge.connect(signal, receiver, { group: 'g', claimIdleMs: 0 }),
      RangeError,
      /options\.claimIdleMs must be a number of milliseconds above 0/,
    ],
    [
      'retryDelayMs a string',
      () => bridge.connect(signal, receiver, { group: 'g', retryDelayMs: '5' as never }),
      TypeError,
      /options\.retryDelayMs must be a number of milliseconds/,
    ],
    [
      'remote of an empty id',
      () => bridge.remote(''),
      TypeError,
      /bridge\.remote\(instanceId\): the instance id must be a non-empty string/,
    ],
  ])('%s', (_, call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });

  it('a signal bridged twice the same way: TypeError; unsubscribed, it can be bridged again', () => {
    const twice = new Signal<Numbered>('twice');
    const first = bridge.broadcast(twice);
    expect(() => bridge.broadcast(twice)).toThrow(
      new TypeError(
        'bridge.broadcast(twice): this bridge already broadcasts twice; unsubscribe the first broadcast before bridging it again.',
      ),
    );
    first.unsubscribe();
    bridge.broadcast(twice).unsubscribe();
    const shared = bridge.share(twice);
    expect(() => bridge.share(twice)).toThrow(/already shares twice/);
    shared.unsubscribe();
  });

  it('a closed bridge refuses new work', async () => {
    const closed = await redisBridge({ url: server.url });
    await closed.close();
    await closed.close(); // idempotent
    expect(() => closed.broadcast(new Signal<object>('late'))).toThrow('bridge.broadcast(late): the bridge is closed.');
  });
});
