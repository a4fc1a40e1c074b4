/**
 * The seed scenario, whole, on the demo app and its SQLite database: django-webtest's test
 * client takes close_old_connections off request_started/request_finished around every test
 * request so that the test's transaction survives. Here the client mutes it for its own requests,
 * without disconnecting anything.
 */
import type { Subscription } from 'rxjs';
import { receiverErrors, type ReceiverError } from '../../lib';
import { testClient } from '../../lib/testing';
import { buildDemoApp, type DemoApp } from '../../demo/app';
import { receiverOrder } from './support/receiver-order';

describe('seed scenario: testClient(app, { mute: [closeStaleConnections] }) on the demo app', () => {
  let demo: DemoApp;
  // The demo's flaky webhook fails now and then: reported here instead of on the console.
  let errors: ReceiverError[];
  let errorSubscription: Subscription;
  beforeEach(async () => {
    demo = await buildDemoApp({ logger: false });
    errors = [];
    errorSubscription = receiverErrors.subscribe((report) => errors.push(report));
  });
  afterEach(async () => {
    errorSubscription.unsubscribe();
    await demo.app.close();
    expect(errors.filter((report) => report.receiver === demo.db.closeStaleConnections)).toEqual([]);
  });

  it('keeps the test transaction through a rendered GET and a POST that redirects; the receiver keeps its place', async () => {
    const { app, db } = demo;
    const order = receiverOrder(app);
    expect(order[0]).toContain('closeStaleConnections');
    expect(order[1]).toContain('closeStaleConnections');
    db.begin();
    db.insert('users', { name: 'ada' });
    const connection = db.connection();

    const client = testClient(app, { mute: [db.closeStaleConnections] });
    const page = await client.get('/users');
    expect(page.statusCode).toBe(200);
    expect(page.templates).toEqual(['users.hbs']);
    expect(page.context).toEqual({ users: [{ name: 'ada' }] }); // the handler saw the uncommitted row
    expect(page.body).toContain('<li>ada</li>');

    const posted = await client.post('/users', { payload: { name: 'bob' }, follow: true });
    expect(posted.redirects.map((hop) => [hop.raw.req.method, hop.statusCode, hop.headers.location])).toEqual([
      ['POST', 302, '/users'],
    ]);
    expect([posted.raw.req.method, posted.raw.req.url, posted.marbles]).toEqual(['GET', '/users', 'stf']);
    expect(posted.templates).toEqual(['users.hbs']);
    expect(posted.context).toEqual({ users: [{ name: 'ada' }, { name: 'bob' }] });

    expect(db.inTransaction).toBe(true); // still the test's transaction, on the same connection
    expect(db.connection()).toBe(connection);
    expect(db.stats).toEqual({ opened: 1, closed: 0, rolledBack: 0 });
    expect(receiverOrder(app)).toEqual(order);

    db.rollback(); // the test's writes were never committed
    expect(db.rows('users')).toEqual([]);
    await app.inject('/ok'); // and outside the client the receiver does its job again
    expect(db.stats.closed).toBe(2);
  });

  it('without the mute, the first request closes the connection and the test transaction is lost', async () => {
    const { app, db } = demo;
    db.begin();
    db.insert('users', { name: 'ada' });

    const client = testClient(app);
    const page = await client.get('/users');
    expect(page.context).toEqual({ users: [] }); // requestStarted closed the connection: rolled back
    expect(db.inTransaction).toBe(false);
    expect(db.stats.rolledBack).toBe(1);

    const posted = await client.post('/users', { payload: { name: 'bob' }, follow: true });
    expect(posted.context).toEqual({ users: [{ name: 'bob' }] }); // autocommitted, no transaction left
    expect(db.inTransaction).toBe(false);
  });
});
