/**
 * The test-client section of `npm run bench`, run tiny so that it cannot rot: it must measure the
 * three ways, check every response and the cleanup receiver's count (never called for the muting
 * client's requests), and name its two bars. Its timings are not asserted.
 */
import { BARS } from '../../bench/bars';
import { runTestClient } from '../../bench/client';
import { requestFinished, requestStarted } from '../../lib';

describe('runTestClient', () => {
  it('measures inject(), the client and the muting client, and checks both bars', async () => {
    const lines: string[] = [];
    const result = await runTestClient({ clientRounds: 2, clientRequests: 5, clientWarmup: 20 }, (line) =>
      lines.push(line),
    );
    expect(result.requestsPerSample).toBe(5);
    for (const figure of [
      result.usInject,
      result.usClient,
      result.usClientMuting,
      result.clientRatio,
      result.mutingRatio,
    ]) {
      expect(figure).toBeGreaterThan(0);
      expect(Number.isFinite(figure)).toBe(true);
    }
    expect(result.bars.map((check) => check.bar)).toEqual([BARS.testClientGet, BARS.testClientGetMuting]);
    expect(lines).toEqual(['client: rounds 1-2 of 2']);
    await new Promise((resolve) => setImmediate(resolve)); // the clients let go of the signals
    expect(requestStarted.hasListeners()).toBe(false);
    expect(requestFinished.hasListeners()).toBe(false);
  });
});
