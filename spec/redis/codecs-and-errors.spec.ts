import { createClient } from 'redis';
import { Signal } from '../../lib/core';
import { jsonCodec, redisBridge, type BridgeError, type Codec, type RedisBridge } from '../../lib/redis';
import { RedisServer, describeWithRedis } from './support/redis-server';
import { instance, sleep, until, type Instance } from './support/instances';

describe('jsonCodec', () => {
  it('carries what JSON carries, as JSON.stringify makes it', () => {
    const encoded = jsonCodec.encode({ user: 'ada', at: new Date(0), tags: ['a', 1, null], skip: undefined });
    expect(encoded).toBe('{"user":"ada","at":"1970-01-01T00:00:00.000Z","tags":["a",1,null]}');
    expect(jsonCodec.decode(encoded)).toEqual({ user: 'ada', at: '1970-01-01T00:00:00.000Z', tags: ['a', 1, null] });
    expect(jsonCodec.decode(Buffer.from('{"n":1}'))).toEqual({ n: 1 });
  });

  it.each<[string, object, string]>([
    ['a function', { order: { notify: () => 1 } }, 'args.order.notify is a function (notify), which JSON cannot carry'],
    ['a symbol', { list: [1, Symbol('s')] }, 'args.list[1] is the symbol Symbol(s), which JSON cannot carry'],
    ['a BigInt', { total: 10n }, 'args.total is the bigint 10, which JSON cannot carry'],
    [
      'a cycle',
      (() => {
        const a: Record<string, unknown> = {};
        a.self = { back: a };
        return { a };
      })(),
      'args.a.self.back is a cycle back to an enclosing object',
    ],
  ])('refuses %s, naming where it is', (_, args, message) => {
    expect(() => jsonCodec.encode(args)).toThrow(new TypeError(message));
  });

  it('shares an object that appears twice without a cycle', () => {
    const shared = { id: 1 };
    expect(jsonCodec.encode({ a: shared, b: shared })).toBe('{"a":{"id":1},"b":{"id":1}}');
  });

  it('refuses a payload that is not an object of args', () => {
    expect(() => jsonCodec.decode('[1]')).toThrow('the payload is JSON of an array, not an object of args');
    expect(() => jsonCodec.decode('{')).toThrow(SyntaxError);
  });
});

describeWithRedis('what cannot cross is reported, never thrown, never a crash', () => {
  let server: RedisServer;
  let instances: Instance[] = [];
  let bridges: RedisBridge[] = [];
  let ns = 0;

  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all([...instances.map(({ bridge }) => bridge.close()), ...bridges.map((bridge) => bridge.close())]);
    instances = [];
    bridges = [];
  });
  afterAll(() => server?.stop());

  async function pair(options: { maxPayloadBytes?: number; codec?: Codec } = {}) {
    const namespace = `errors${ns++}`;
    instances = await Promise.all(
      ['a', 'b'].map((id) => instance('news', { url: server.url, instanceId: id, namespace })),
    );
    for (const { bridge, signal } of instances) bridge.broadcast(signal, options as never);
    await Promise.all(instances.map(({ bridge }) => bridge.ready()));
    return { namespace, a: instances[0], b: instances[1] };
  }

  it('args JSON cannot carry, and payloads over maxPayloadBytes: reported, not sent; the rest goes', async () => {
    const { a, b } = await pair({ maxPayloadBytes: 100 });
    const send = (args: object) => a.signal.send(a.bridge, args as never);
    send({ n: 1 });
    send({ n: 2, run: () => 1 });
    send({ n: 3, big: 10n });
    send({ n: 4, text: 'x'.repeat(200) });
    send({ n: 5 });
    await until(() => b.received.length === 2, 'b to receive 2');
    await sleep(50);
    expect(b.received.map((r) => r.n)).toEqual([1, 5]);
    expect(a.errors.map(({ kind, signal, origin }) => ({ kind, signal, origin }))).toEqual([
      { kind: 'encode', signal: 'news', origin: 'a' },
      { kind: 'encode', signal: 'news', origin: 'a' },
      { kind: 'payload-too-large', signal: 'news', origin: 'a' },
    ]);
    expect(String(a.errors[2].error)).toContain('over maxPayloadBytes (100)');
    expect(b.gaps).toEqual([]); // refused events take no sequence number: nothing looks lost
  });

  it('malformed and foreign messages on the channel and the streams are reported; delivery goes on', async () => {
    const { namespace, a, b } = await pair();
    const grouped: number[] = [];
    const orders = new Signal<{ n: number }>('orders');
    b.bridge.connect(orders, ({ n }) => void grouped.push(n), { group: 'g', retryDelayMs: 10 });
    await b.bridge.ready();
    const raw = createClient({ url: server.url });
    await raw.connect();
    try {
      await raw.publish(`${namespace}:broadcast:news`, 'hello');
      await raw.publish(`${namespace}:broadcast:news`, 'rxs1|a|e1|x|s|2\n{}');
      await raw.publish(`${namespace}:broadcast:news`, 'rxs1|a b|e1|1|s|2\n{}');
      await raw.publish(`${namespace}:broadcast:news`, 'rxs1|a|e1|1|s|2,9\n{}{}'); // lengths past the body
      await raw.publish(`${namespace}:broadcast:news`, 'rxs1|zed|e1|1|s|8\nnot json');
      await raw.xAdd(`${namespace}:stream:orders`, '*', { foo: 'bar' });
      await raw.xAdd(`${namespace}:stream:orders`, '*', { h: 'rxs1|zed|e1|1|s', p: '[]' });
    } finally {
      raw.destroy();
    }
    a.signal.send(a.bridge, { n: 1 });
    orders.send(b.bridge, { n: 7 });
    await until(() => b.received.length === 1 && grouped.length === 1, 'the valid events');
    await until(() => b.errors.length === 7, 'seven reports');
    expect(b.errors.map(({ kind, signal }) => `${kind} ${signal}`).sort()).toEqual([
      'decode news',
      'decode orders',
      'malformed news',
      'malformed news',
      'malformed news',
      'malformed news',
      'malformed orders',
    ]);
  });

  it('regression: a codec that decodes to an array, a Map or args that cannot be read is reported as decode, on Pub/Sub and on a group stream; never thrown out of the subscriber', async () => {
    // Only typeof was checked: the array went on to a send, whose TypeError escaped the message handler.
    // Args whose keys cannot be read pass the check, then throw while the event is built.
    const unreadable = new Proxy(
      { n: 5 },
      {
        ownKeys() {
          throw new Error('no keys today');
        },
      },
    );
    const twisted: Codec = {
      encode: (args) => JSON.stringify(args),
      decode(payload) {
        const args = JSON.parse(String(payload)) as { n: number };
        if (args.n === 2) return [2] as never;
        if (args.n === 5) return unreadable as never;
        return args.n === 3 ? (new Map([['n', 3]]) as never) : args;
      },
    };
    const { a, b } = await pair({ codec: twisted });
    const orders = new Signal<{ n: number }>('twistedOrders');
    const grouped: number[] = [];
    b.bridge.connect(orders, ({ n }) => void grouped.push(n), { group: 'g', codec: twisted as Codec<{ n: number }> });
    await b.bridge.ready();
    for (const n of [1, 2, 3, 5, 4]) {
      a.signal.send(a.bridge, { n } as never);
      orders.send(b.bridge, { n });
    }
    await until(() => b.received.length === 2 && grouped.length === 2, 'the events the codec could read');
    await until(() => b.errors.length === 6, 'six decode reports');
    expect(b.received.map((event) => event.n)).toEqual([1, 4]);
    expect(grouped).toEqual([1, 4]);
    expect(b.errors.map(({ kind, signal }) => `${kind} ${signal}`).sort()).toEqual([
      'decode news',
      'decode news',
      'decode news',
      'decode twistedOrders',
      'decode twistedOrders',
      'decode twistedOrders',
    ]);
    const messages = b.errors.map(({ error }) => String(error));
    expect(messages.filter((text) => text.includes('codec.decode returned an array'))).toHaveLength(2);
    expect(messages.filter((text) => text.includes('codec.decode returned a Map'))).toHaveLength(2);
    expect(messages.filter((text) => text.includes('no keys today'))).toHaveLength(2);
  });

  it('with nobody subscribed to errors$, a report goes to console.error', async () => {
    const lonely = await redisBridge({ url: server.url, namespace: `errors${ns++}` });
    bridges.push(lonely);
    const signal = new Signal<object>('lonely');
    lonely.broadcast(signal);
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      signal.send(null, { run: () => 1 });
      await until(() => spy.mock.calls.length > 0, 'console.error');
      expect(String(spy.mock.calls[0][0])).toMatch(
        /^rx-signals\/redis \[.+\]: encode \(lonely\) \(subscribe to bridge\.errors\$/,
      );
      expect(String(spy.mock.calls[0][1])).toContain('args.run is a function');
    } finally {
      spy.mockRestore();
    }
  });

  it('a binary codec crosses bytes intact, on Pub/Sub and on a group stream', async () => {
    const bytes: Codec<{ n: number }> = {
      encode: (args) => Uint8Array.from([args.n, 0, 255, 10]),
      decode: (payload) => ({ n: (payload as Uint8Array)[0], rest: Array.from((payload as Uint8Array).subarray(1)) }),
    };
    const { a, b } = await pair({ codec: bytes as Codec });
    const seen: unknown[] = [];
    b.signal.connect((event) => void seen.push({ ...(event as object), signal: undefined, sender: undefined }));
    const orders = new Signal<{ n: number }>('binaryOrders');
    const grouped: unknown[] = [];
    b.bridge.connect(orders, (event) => void grouped.push((event as unknown as { rest: number[] }).rest), {
      group: 'g',
      codec: bytes,
    });
    await b.bridge.ready();
    a.signal.send(a.bridge, { n: 42 });
    orders.send(b.bridge, { n: 9 });
    await until(() => seen.length === 1 && grouped.length === 1, 'both');
    expect(seen).toEqual([{ n: 42, rest: [0, 255, 10], signal: undefined, sender: undefined }]);
    expect(grouped).toEqual([[0, 255, 10]]);
  });

  it('sends never wait on Redis nor throw because of it: with Redis gone, the outbox overflows and says how much', async () => {
    const own = await RedisServer.start();
    try {
      const bridge = await redisBridge({ url: own.url, outboxSize: 10, closeTimeoutMs: 100 });
      bridges.push(bridge);
      const gaps: unknown[] = [];
      bridge.gaps$.subscribe((gap) => gaps.push(gap));
      bridge.errors$.subscribe(() => {});
      const signal = new Signal<{ n: number }>('offline');
      bridge.broadcast(signal);
      await bridge.ready();
      await own.kill();
      const started = performance.now();
      for (let n = 1; n <= 25; n++) signal.send(null, { n });
      expect(performance.now() - started).toBeLessThan(50);
      await until(() => gaps.length > 0, 'the overflow report');
      expect(gaps).toEqual([{ reason: 'outbox-overflow', signal: 'offline', origin: bridge.instanceId, lost: 15 }]);
    } finally {
      await own.stop();
    }
  });

  // Sends are staged in an array of their own before the outbox (cheaper for a send): the bound is still the outbox's.
  it('a synchronous burst far over outboxSize keeps only the newest outboxSize sends, and says how many it dropped', async () => {
    const namespace = `errors${ns++}`;
    instances = await Promise.all(
      ['a', 'b'].map((id) => instance('burst', { url: server.url, instanceId: id, namespace, outboxSize: 10 })),
    );
    const [a, b] = instances;
    for (const { bridge, signal } of instances) bridge.broadcast(signal);
    await Promise.all(instances.map(({ bridge }) => bridge.ready()));
    for (let n = 1; n <= 5000; n++) a.signal.send(a.bridge, { n });
    await until(() => b.received.length === 10 && a.gaps.length === 1, 'the newest 10 and the overflow report');
    await sleep(50);
    expect(b.received.map((r) => r.n)).toEqual([4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999, 5000]);
    expect(a.gaps).toEqual([{ reason: 'outbox-overflow', signal: 'burst', origin: 'a', lost: 4990 }]);
  });

  it('a group receiver returning a hostile thenable is a failure like any other: retried, then dead-lettered', async () => {
    const member = await redisBridge({ url: server.url, namespace: `errors${ns++}` });
    bridges.push(member);
    const errors: BridgeError[] = [];
    member.errors$.subscribe((error) => errors.push(error));
    const signal = new Signal<{ n: number }>('hostile');
    let calls = 0;
    member.connect(
      signal,
      () => {
        calls++;
        return Object.defineProperty({}, 'then', {
          get() {
            throw new Error('then trap');
          },
        });
      },
      { group: 'g', maxAttempts: 2, retryDelayMs: 10 },
    );
    await member.ready();
    signal.send(null, { n: 1 });
    await until(() => errors.length === 1, 'the dead letter');
    expect(calls).toBe(2);
    expect(errors[0]).toMatchObject({ kind: 'dead-letter', signal: 'hostile', attempts: 2 });
    expect(String((errors[0].error as Error).message)).toBe('then trap');
    expect(member.deliveryOf({})).toBeUndefined();
  });
});
