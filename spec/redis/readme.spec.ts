/**
 * Runs the examples of the README's "Running many instances" section against a real
 * redis-server, so they cannot rot. The code below is copied from README.md (wrapped in
 * functions; '../../lib' where the README imports 'rx-signals'); the first test fails if a README
 * block is missing here verbatim, in order, and each example's `// → output` comments are checked
 * against what it really prints. A second instance ("web-2") plays the other side.
 */
import { Signal, settingChanged } from '../../lib';
import { redisBridge, isRemoteSender } from '../../lib/redis';
import { itRunsEachExample, readmeExamples, type ReadmeExample } from '../support/readme-examples';
import { RedisServer, describeWithRedis } from './support/redis-server';

let server: RedisServer | undefined;
const shared: { bridge?: Awaited<ReturnType<typeof redisBridge>> } = {};

const examples: ReadmeExample[] = [
  [
    'broadcast',
    async (untilPrinted) => {
      const bridge = await redisBridge({ url: process.env.REDIS_URL, instanceId: process.env.HOSTNAME });

      bridge.broadcast(settingChanged); // every local send is also sent on every other instance
      settingChanged.connect(({ setting, value, sender }) => {
        if (isRemoteSender(sender)) console.log(`${setting} = ${value}, from ${sender.instanceId}`);
      });
      // another instance sends settingChanged → cacheTtl = 60, from web-2

      shared.bridge = bridge;
      await bridge.ready();
      const other = await redisBridge({ url: process.env.REDIS_URL, instanceId: 'web-2' });
      const theirs = new Signal<{ setting: string; value: unknown; enter: boolean }, object>('settingChanged');
      other.broadcast(theirs);
      await other.ready();
      theirs.send({}, { setting: 'cacheTtl', value: 60, enter: true });
      await untilPrinted(1);
      await other.close();
    },
  ],
  [
    'group',
    async (untilPrinted) => {
      const bridge = shared.bridge!;
      const orderPlaced = new Signal<{ orderId: string; total: number }>('orderPlaced');
      const receiptsSent = new Set<string>(); // in real life: a table with a unique key

      bridge.connect(
        orderPlaced,
        async (event) => {
          const { id, attempt } = bridge.deliveryOf(event)!; // id: the same on every retry and reclaim
          if (receiptsSent.has(id)) return; // at least once may mean twice: the id is the idempotency key
          receiptsSent.add(id);
          console.log(`receipt for ${event.orderId}, attempt ${attempt}`);
        },
        { group: 'mailer', maxAttempts: 3, retryDelayMs: 2_000 },
      );

      orderPlaced.send(null, { orderId: 'o-1', total: 42 }); // → receipt for o-1, attempt 1
      await untilPrinted(1);
      expect([...receiptsSent]).toEqual([expect.stringMatching(/^\d+-\d+$/)]);
    },
  ],
  [
    'reports and close',
    async () => {
      const bridge = shared.bridge!;
      bridge.gaps$.subscribe(({ reason, signal, origin, lost }) => console.warn(`${signal}: ${lost ?? 'some'} events lost (${reason}, from ${origin})`));
      bridge.errors$.subscribe(({ kind, signal, error }) => console.error(`${signal}: ${kind}`, error));

      await bridge.close(); // flushes the outbox, then stops; a client passed in stays open
      expect(() => bridge.broadcast(new Signal<object>('late'))).toThrow(/the bridge is closed/);
    },
  ],
];

describeWithRedis('README "Running many instances" examples', () => {
  const readme = readmeExamples({
    sections: ['redis'],
    spec: __filename,
    modules: { 'rx-signals': '../../lib', 'rx-signals/redis': '../../lib/redis' },
  });

  beforeAll(async () => {
    server = await RedisServer.start();
    process.env.REDIS_URL = server.url;
    process.env.HOSTNAME = 'web-1';
  });
  afterAll(async () => {
    await shared.bridge?.close();
    await server?.stop();
  });

  it('are copied here, with the same imports, in order', () => {
    expect(readme.blocks).toHaveLength(examples.length);
    readme.expectSameImports();
    readme.expectCopiedInOrder();
  });

  itRunsEachExample(examples, readme.blocks);
});
