/**
 * Runs the examples of the README's `observability` section, so they cannot rot: the code below
 * is copied verbatim from README.md (spec/support/readme-examples.ts checks it, `// →` comments
 * included). The OpenTelemetry subscriber runs against a real Fastify app with the plugin over
 * real sockets, with OpenTelemetry's SDK, its AsyncLocalStorage context manager and its in-memory
 * exporter: every receiver of a request must be a child span of that request's span, also with
 * requests in flight together, and for a request the client abandoned (its finish comes from the
 * socket, in the context the plugin captured for the request).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { context, trace, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import Fastify from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Signal,
  signalsPlugin,
  requestStarted,
  requestFinished,
  profileReceivers,
  type ReceiverTraceContext,
  type SendMessage,
} from '../../lib';
import { createServer, type RequestListener } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { gotRequestException } from '../../lib/fastify';
import { itRunsEachExample, readmeExamples, type ReadmeExample } from '../support/readme-examples';

const exporter = new InMemorySpanExporter();

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});

afterAll(() => {
  trace.disable();
  context.disable();
});

/**
 * What OpenTelemetry's HTTP instrumentation does for a server: a span per request, active (in
 * the async context) while Node handles it, ended when the response closes. Given to Fastify as
 * its `serverFactory`, so the app runs on a real socket exactly as an instrumented app would.
 */
function instrumentedServer(tracer: Tracer) {
  return (handler: RequestListener) =>
    createServer((request, response) => {
      const span = tracer.startSpan(`HTTP ${request.method} ${request.url}`);
      response.on('close', () => span.end());
      context.with(trace.setSpan(context.active(), span), () => handler(request, response));
    });
}

/** Each request span's name with the sorted names of its child spans (and the children's status). */
function spanTree(spans: readonly ReadableSpan[]): [request: string, receivers: string[]][] {
  const requests = spans.filter((span) => span.name.startsWith('HTTP '));
  const children = (parent: ReadableSpan) =>
    spans
      .filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId)
      .map((span) => `${span.name}${span.status.code === SpanStatusCode.ERROR ? ' (error)' : ''}`)
      .sort();
  return requests.map((request): [string, string[]] => [request.name, children(request)]).sort(([a], [b]) => a.localeCompare(b));
}

/** The README's examples after its imports, verbatim and in README order. */
const examples: ReadmeExample[] = [
  [
    'log every send',
    async () => {
      const logSend = (message: unknown) => {
        const { signal, sender, event } = message as SendMessage;
        console.log(`${signal.name} from ${String(sender)}: ${Object.keys(event).join(', ')}`);
      };
      diagnosticsChannel.subscribe('rx-signals:send', logSend);

      const userLoggedIn = new Signal<{ user: string }, string>('userLoggedIn');
      userLoggedIn.send('auth', { user: 'ada' }); // → userLoggedIn from auth: user, signal, sender
      diagnosticsChannel.unsubscribe('rx-signals:send', logSend);
    },
  ],
  [
    'OpenTelemetry: a span per receiver, child of its request',
    async () => {
      /** Makes a span of every receiver call; returns the function that stops it. */
      function traceReceivers(tracer: Tracer): () => void {
        const spans = new WeakMap<ReceiverTraceContext, Span>();
        const channel = diagnosticsChannel.tracingChannel<unknown, ReceiverTraceContext>('rx-signals:receiver');
        const handlers = {
          start(call: ReceiverTraceContext) {
            const name = `${call.signal.name} ${call.receiver.name || '<anonymous>'}`;
            spans.set(call, tracer.startSpan(name, {}, context.active()));
          },
          end(call: ReceiverTraceContext) {
            if (!call.async) spans.get(call)?.end(); // a Promise response ends at asyncEnd
          },
          asyncStart() {},
          asyncEnd(call: ReceiverTraceContext) {
            spans.get(call)?.end();
          },
          error(call: ReceiverTraceContext) {
            spans.get(call)?.recordException(call.error as Error);
            spans.get(call)?.setStatus({ code: SpanStatusCode.ERROR });
          },
        };
        channel.subscribe(handlers);
        return () => channel.unsubscribe(handlers);
      }

      const stopTracing = traceReceivers(trace.getTracer('my-app'));

      // The app: the plugin, a receiver on each request signal, one of them async, one failing.
      exporter.reset();
      const app = Fastify({ serverFactory: instrumentedServer(trace.getTracer('http')) });
      await app.register(signalsPlugin);
      app.get('/ok', async () => {
        await sleep(5);
        return 'ok';
      });
      app.get('/boom', async () => {
        throw new Error('boom');
      });
      let slowStarted!: () => void;
      const slowRunning = new Promise<void>((resolve) => (slowStarted = resolve));
      app.get('/slow', async () => {
        slowStarted();
        await sleep(2000);
        return 'late';
      });
      app.signals.connect(requestStarted, function countRequest() {});
      app.signals.connect(gotRequestException, function alertOnError() {
        throw new Error('alert failed');
      });
      app.signals.connect(requestFinished, async function auditLog() {
        await sleep(5);
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      try {
        const { port } = app.server.address() as AddressInfo;
        // In flight together: each receiver must still find its own request's span.
        const statuses = await Promise.all(
          ['/ok?n=1', '/boom', '/ok?n=2'].map(async (path) => (await fetch(`http://127.0.0.1:${port}${path}`)).status),
        );
        expect(statuses).toEqual([200, 500, 200]);
        // A client that goes away mid-request: its finish ('aborted') comes from the socket.
        const client = connect(port, '127.0.0.1');
        client.write('GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        await slowRunning;
        client.destroy();
        // auditLog runs after the response went out: wait for its four spans.
        while (exporter.getFinishedSpans().filter((span) => span.name === 'requestFinished auditLog').length < 4) {
          await sleep(5);
        }
      } finally {
        stopTracing();
        await app.close();
      }
      const started = 'requestStarted countRequest';
      const finished = 'requestFinished auditLog';
      expect(spanTree(exporter.getFinishedSpans())).toEqual([
        ['HTTP GET /boom', ['gotRequestException alertOnError (error)', finished, started]],
        ['HTTP GET /ok?n=1', [finished, started]],
        ['HTTP GET /ok?n=2', [finished, started]],
        ['HTTP GET /slow', [finished, started]],
      ]);
      const failed = exporter.getFinishedSpans().find((span) => span.name === 'gotRequestException alertOnError');
      expect(failed?.events.map((event) => [event.name, event.attributes?.['exception.message']])).toEqual([
        ['exception', 'alert failed'],
      ]);
    },
  ],
  [
    'profileReceivers',
    async () => {
      const app = Fastify();
      await app.register(signalsPlugin);
      app.get('/orders', async () => 'ok');
      app.signals.connect(requestFinished, async function auditLog() {
        await sleep(30); // a slow write
      });
      app.signals.connect(requestStarted, function countRequest() {});

      const profiler = profileReceivers([requestStarted, requestFinished]);
      await app.inject('/orders');
      await app.inject('/orders');
      await sleep(50); // auditLog still runs after the response went out
      console.log(profiler.snapshot().map(({ receiver, calls, errors }) => `${receiver}: ${calls} calls, ${errors} errors`));
      // → [ 'auditLog: 2 calls, 0 errors', 'countRequest: 2 calls, 0 errors' ]
      profiler.stop();
      await app.close();
    },
  ],
];

describe('README observability section', () => {
  const readme = readmeExamples({
    sections: ['observability'],
    spec: __filename,
    modules: {
      'node:diagnostics_channel': 'node:diagnostics_channel',
      '@opentelemetry/api': '@opentelemetry/api',
      fastify: 'fastify',
      'node:timers/promises': 'node:timers/promises',
      'rx-signals': '../../lib',
    },
  });
  // The imports, then one block per example.
  const exampleBlocks = readme.blocks.slice(1);

  it('imports only what node, OpenTelemetry, fastify and rx-signals export', () => {
    readme.expectSameImports();
  });

  it('has exactly the examples this file runs, verbatim and in the same order', () => {
    expect(exampleBlocks).toHaveLength(examples.length);
    readme.expectCopiedInOrder();
  });

  itRunsEachExample(examples, exampleBlocks, () => {
    for (const signal of [requestStarted, gotRequestException, requestFinished]) {
      expect(signal.hasListeners()).toBe(false); // each example's app.close() cleaned up
    }
    expect(diagnosticsChannel.hasSubscribers('rx-signals:send')).toBe(false);
    expect(diagnosticsChannel.hasSubscribers('tracing:rx-signals:receiver:start')).toBe(false);
  });
});
