import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { BehaviorSubject, filter, firstValueFrom } from 'rxjs';
import type { FastifyInstance } from 'fastify';
import { requestFinished, requestStarted, signalsPlugin } from '../../lib';
import { pausedDuring } from '../../lib/testing';
import { DemoDatabase } from '../../demo/database';
import { deferred } from '../core/support/waiting';
import { quietApp } from './support/apps';
import { receiverOrder } from './support/receiver-order';

/**
 * The seed scenario: Django's test client disconnects close_old_connections around test requests
 * so the test's transaction survives. Here the receiver stays connected and a test pauses it
 * with an operator.
 */
async function buildApp(db: DemoDatabase, cleanupPaused$?: BehaviorSubject<boolean>) {
  const app = quietApp();
  await app.register(signalsPlugin);
  db.connectToRequestSignals(app, { paused$: cleanupPaused$ });
  // Connected after the database's receiver: its place shows whether the order changed.
  app.signals.connect(requestStarted, function auditRequest() {});
  const exportGate = deferred();
  app.get('/users', async () => db.rows('users'));
  // Streams the rows: the first line at once, the rest only once the test opens the gate, so
  // the request finishes long after the response started.
  app.get('/export', (_request, reply) => {
    const stream = new PassThrough();
    void reply.type('application/x-ndjson').send(stream);
    const rows = db.rows('users');
    stream.write(`${JSON.stringify(rows[0] ?? null)}\n`);
    void exportGate.promise.then(() => stream.end(`${JSON.stringify(rows.slice(1))}\n`));
  });
  return { app, finishExport: exportGate.resolve };
}

/** Starts a GET over a real socket and resolves at the first body chunk, with the rest to come. */
function startStreaming(app: FastifyInstance, path: string) {
  const { port } = app.server.address() as AddressInfo;
  return new Promise<{ firstChunk: string; rest: Promise<string> }>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (response) => {
        response.setEncoding('utf8');
        let body = '';
        const rest = new Promise<string>((done, fail) => {
          response.on('end', () => done(body));
          response.on('error', fail);
        });
        response.once('data', (chunk: string) => {
          response.on('data', (more: string) => (body += more));
          resolve({ firstChunk: chunk, rest });
        });
      })
      .on('error', reject);
  });
}

describe('the pausable recipe: pausing closeStaleConnections around test requests', () => {
  const apps: FastifyInstance[] = [];
  const databases: DemoDatabase[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    for (const db of databases.splice(0)) db.destroy();
  });
  async function setup(paused = true) {
    const db = new DemoDatabase();
    databases.push(db);
    const cleanupPaused$ = new BehaviorSubject(false);
    const built = await buildApp(db, paused ? cleanupPaused$ : undefined);
    apps.push(built.app);
    return { db, cleanupPaused$, ...built };
  }

  it('without pausing, a test request closes the connection and rolls the test transaction back', async () => {
    const { db, app } = await setup(false);
    db.begin();
    db.insert('users', { name: 'ada' });
    const response = await app.inject('/users');
    expect(response.json()).toEqual([]); // requestStarted closed the connection before the handler ran
    expect(db.inTransaction).toBe(false);
    expect(db.stats.rolledBack).toBe(1);
  });

  it('paused by an operator, the transaction survives; nothing is disconnected, the order is unchanged', async () => {
    const { db, app, cleanupPaused$ } = await setup();
    const before = receiverOrder(app);
    expect(before).toEqual([['closeStaleConnections', 'auditRequest'], ['closeStaleConnections']]);
    db.begin();
    db.insert('users', { name: 'ada' });
    const connectionId = db.connection().id;

    const response = await pausedDuring(cleanupPaused$, async () => {
      expect(
        requestStarted
          .receivers()
          .filter((info) => info.sender === app)
          .map((info) => info.paused),
      ).toEqual([true, false]);
      return app.inject('/users');
    });

    expect(response.json()).toEqual([{ name: 'ada' }]); // the handler saw the uncommitted row
    expect(db.inTransaction).toBe(true);
    expect(db.connection().id).toBe(connectionId);
    expect(db.stats).toEqual({ opened: 1, closed: 0, rolledBack: 0 });
    expect(receiverOrder(app)).toEqual(before);
    expect(
      requestStarted
        .receivers()
        .filter((info) => info.sender === app)
        .map((info) => info.paused),
    ).toEqual([false, false]);

    // Resumed, the receiver does its production job again, in its old place.
    db.rollback();
    await app.inject('/users');
    expect(db.stats.closed).toBe(2); // at the start, and at the finish (maxAgeMs 0, Django's default)
  });

  describe('a streamed response whose requestFinished comes late', () => {
    it('reconnecting when the call returns (as Django’s test client does) lets the late finish roll back', async () => {
      const { db, app, finishExport } = await setup(false);
      await app.listen({ port: 0, host: '127.0.0.1' });
      db.begin();
      db.insert('users', { name: 'ada' });
      db.insert('users', { name: 'bob' });
      const finished = firstValueFrom(app.signals.requestFinished$);

      // The disconnect/reconnect dance around the request call:
      requestStarted.disconnect(db.closeStaleConnections, { sender: app });
      requestFinished.disconnect(db.closeStaleConnections, { sender: app });
      const { firstChunk, rest } = await startStreaming(app, '/export');
      db.connectToRequestSignals(app);

      expect(JSON.parse(firstChunk)).toEqual({ name: 'ada' });
      expect(receiverOrder(app)[0]).toEqual(['auditRequest', 'closeStaleConnections']); // reordered
      finishExport();
      await rest;
      expect((await finished).outcome).toBe('completed');
      expect(db.inTransaction).toBe(false); // the late finish closed the connection
      expect(db.stats.rolledBack).toBe(1);
    });

    it('paused until the request finished, the transaction survives the late finish', async () => {
      const { db, app, finishExport, cleanupPaused$ } = await setup();
      await app.listen({ port: 0, host: '127.0.0.1' });
      db.begin();
      db.insert('users', { name: 'ada' });
      db.insert('users', { name: 'bob' });
      const before = receiverOrder(app);

      await pausedDuring(cleanupPaused$, async () => {
        const finished = firstValueFrom(
          app.signals.requestFinished$.pipe(filter((event) => event.request.url === '/export')),
        );
        const { firstChunk, rest } = await startStreaming(app, '/export');
        expect(JSON.parse(firstChunk)).toEqual({ name: 'ada' });
        finishExport();
        expect(JSON.parse(await rest)).toEqual([{ name: 'bob' }]);
        await finished; // keep the pause until the late requestFinished has been sent
      });

      expect(db.inTransaction).toBe(true);
      expect(db.rows('users')).toEqual([{ name: 'ada' }, { name: 'bob' }]);
      expect(db.stats).toEqual({ opened: 1, closed: 0, rolledBack: 0 });
      expect(receiverOrder(app)).toEqual(before);
      db.rollback();
    });
  });
});
