import { Subject } from 'rxjs';
import {
  readInstanceSummary,
  requireClusterBridge,
  MAX_INSTANCE_ID_LENGTH,
  type InstanceSummary,
} from '../../lib/panel/cluster';

const summary: InstanceSummary = {
  instanceId: 'web-1',
  at: 1_732_428_000_000,
  windowMs: 10_000,
  requests: 250,
  perSecond: 25,
  errorRate: 0.02,
  p95Ms: 41.5,
  inFlight: 3,
};

const noop = (): void => undefined;

describe('cluster bridge shape', () => {
  it('accepts an object with instanceId, publishSummary and summaries$', () => {
    expect(() =>
      requireClusterBridge({ instanceId: 'a', publishSummary: noop, summaries$: new Subject() }),
    ).not.toThrow();
  });

  it.each([
    ['undefined', undefined],
    ['a string', 'redis://localhost'],
    ['no instanceId', { publishSummary: noop, summaries$: new Subject() }],
    ['an empty instanceId', { instanceId: '', publishSummary: noop, summaries$: new Subject() }],
    ['no publishSummary', { instanceId: 'a', summaries$: new Subject() }],
    ['summaries$ not an Observable', { instanceId: 'a', publishSummary: noop, summaries$: [] }],
  ])('refuses %s with a TypeError saying what to pass', (_what, bridge) => {
    expect(() => requireClusterBridge(bridge)).toThrow(TypeError);
    expect(() => requireClusterBridge(bridge)).toThrow(
      /options\.bridge must be .*instanceId, publishSummary\(summary\), summaries\$.*redisBridge/,
    );
  });
});

describe('readInstanceSummary', () => {
  it('copies a well-formed summary, and only its known fields', () => {
    expect(readInstanceSummary({ ...summary, secret: 'hunter2' })).toEqual(summary);
    expect(readInstanceSummary({ ...summary, p95Ms: null, requests: 0 })).toEqual({
      ...summary,
      p95Ms: null,
      requests: 0,
    });
  });

  it('cuts a long instance id short', () => {
    expect(readInstanceSummary({ ...summary, instanceId: 'x'.repeat(1000) })?.instanceId).toBe(
      'x'.repeat(MAX_INSTANCE_ID_LENGTH),
    );
  });

  it.each([
    ['null', null],
    ['a number', 7],
    ['an empty id', { ...summary, instanceId: '' }],
    ['an id that is not a string', { ...summary, instanceId: 7 }],
    ['a negative count', { ...summary, requests: -1 }],
    ['a fractional count', { ...summary, inFlight: 1.5 }],
    ['a zero window', { ...summary, windowMs: 0 }],
    ['an error rate above 1', { ...summary, errorRate: 1.5 }],
    ['NaN', { ...summary, perSecond: NaN }],
    ['Infinity', { ...summary, p95Ms: Infinity }],
    ['a string number', { ...summary, at: '1732428000000' }],
  ])('returns null for %s', (_what, value) => {
    expect(readInstanceSummary(value)).toBeNull();
  });

  it('never throws, even on a throwing getter or a revoked Proxy', () => {
    const getter = Object.defineProperty({ ...summary }, 'requests', {
      get() {
        throw new Error('boom');
      },
    });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(readInstanceSummary(getter)).toBeNull();
    expect(readInstanceSummary(proxy)).toBeNull();
  });
});
