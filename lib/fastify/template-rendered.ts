import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addFirstReadyHook, fastifySymbol } from './fastify-internals';
import { templateRendered } from './signals';

/** A render function of `@fastify/view`: `app.view`, `reply.view` or `reply.viewAsync`. */
type Render = ((this: unknown, ...args: unknown[]) => unknown) & {
  /** Set on our wrappers: the app they send `templateRendered` for. */
  [instrumentedFor]?: FastifyInstance;
};

/** Marks a wrapper with the app it reports renders for, so no context is wrapped twice for one app. */
const instrumentedFor = Symbol('rx-signals.templateRendered');

/** The `Reply` constructor of an encapsulation context, for its prototype's decorators. */
interface ReplyConstructor {
  prototype: Record<string, unknown>;
}

/**
 * Makes `@fastify/view` renders in `app` (and the contexts inside it) send `templateRendered`
 * with `{ template, context, request }`, sender `app`, when a render starts, whichever of the two
 * plugins was registered first. Called by `signalsPlugin` at registration.
 *
 * How: `@fastify/view` is never imported. When the app is ready (every plugin loaded, so the
 * order of registration no longer matters), each encapsulation context of `app` is searched for
 * `@fastify/view`'s decorators (an instance decorator with `clearCache`, under its
 * `propertyName`, `view` by default; the reply decorators of that name and `<name>Async`), and
 * each is shadowed in that context by a wrapper that sends first, then renders. Contexts above
 * `app` keep their own renders untouched. Without `@fastify/view` nothing is found and nothing
 * changes.
 *
 * What is sent: `template` is the page name given to the render (`'<inline>'` for a raw
 * template object); `context` is the data given to it, over `reply.locals` for reply renders
 * (as the template sees it, without `@fastify/view`'s `defaultContext` option); `request` is the
 * request a reply render answers (`reply.view`, `reply.viewAsync`: the reply's own request),
 * undefined for `app.view`, which belongs to no request. Layouts and
 * partials send nothing of their own. The payload is built only when someone listens; the send
 * is robust, so a failing receiver never changes the render. Renders made before the app is
 * ready (`app.view` in a plugin's body) are not seen.
 *
 * @example
 * // inside signalsPlugin:
 * instrumentViews(app);
 * // then, in an app with @fastify/view:
 * templateRendered.connect(({ template, context }) => console.log(template, context), { sender: app });
 * @internal
 */
export function instrumentViews(app: FastifyInstance): void {
  addFirstReadyHook(app, function instrumentViewRenders(done) {
    try {
      const replySymbol = fastifySymbol(app, 'fastify.Reply');
      let found = false;
      for (const context of contextsWithin(app)) found = instrumentContext(app, context, replySymbol) || found;
      if (found && replySymbol === undefined) {
        app.log.warn(
          'rx-signals: this Fastify version hides the Reply prototype; reply.view renders will not send templateRendered (app.view renders will).',
        );
      }
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

/** Wraps the render decorators visible in one encapsulation context; true when it has any. */
function instrumentContext(app: FastifyInstance, context: FastifyInstance, replySymbol: symbol | undefined): boolean {
  const reply =
    replySymbol === undefined ? undefined : (context as unknown as Record<symbol, ReplyConstructor>)[replySymbol];
  const instance = context as unknown as Record<string, unknown>;
  const names = viewDecoratorNames(context);
  for (const name of names) {
    const render = instance[name] as Render;
    if (render[instrumentedFor] !== app) instance[name] = instrumentAppRender(app, render);
    if (!reply) continue;
    for (const replyName of [name, `${name}Async`]) {
      const replyRender = reply.prototype[replyName] as Render | undefined;
      if (typeof replyRender === 'function' && replyRender[instrumentedFor] !== app) {
        reply.prototype[replyName] = instrumentReplyRender(app, replyRender);
      }
    }
  }
  return names.length > 0;
}

/** `app.view(page, data?, opts?, done?)`: the context is `data`. */
function instrumentAppRender(app: FastifyInstance, render: Render): Render {
  const instrumented: Render = function (this: unknown, ...args: unknown[]) {
    if (templateRendered.hasListeners(app)) {
      announce(app, args[0], typeof args[1] === 'function' ? undefined : args[1], undefined);
    }
    return render.apply(this, args);
  };
  // Keep the decorator's own members (`clearCache`).
  Object.assign(instrumented, render);
  instrumented[instrumentedFor] = app;
  return instrumented;
}

/** `reply.view(page, data?, opts?)`: the template sees `reply.locals` under `data`. */
function instrumentReplyRender(app: FastifyInstance, render: Render): Render {
  const instrumented: Render = function (this: unknown, ...args: unknown[]) {
    if (templateRendered.hasListeners(app)) {
      const reply = this as { locals?: unknown; request?: FastifyRequest } | null;
      const locals = reply?.locals;
      const data = args[1];
      const hasLocals = typeof locals === 'object' && locals !== null && Object.keys(locals).length > 0;
      const context = hasLocals ? { ...locals, ...(typeof data === 'object' ? data : undefined) } : data;
      announce(app, args[0], context, reply?.request);
    }
    return render.apply(this, args);
  };
  instrumented[instrumentedFor] = app;
  return instrumented;
}

function announce(app: FastifyInstance, page: unknown, data: unknown, request: FastifyRequest | undefined): void {
  if (!page) return; // @fastify/view rejects the render ("Missing page"): nothing starts rendering
  const template = typeof page === 'string' ? page : '<inline>';
  const context = (typeof data === 'object' && data !== null ? data : {}) as Readonly<Record<string, unknown>>;
  templateRendered.sendRobust(app, { template, context, request });
}

/**
 * The property names of `@fastify/view` instances visible from `context`: data properties whose
 * value is a function with a `clearCache` member. Accessors are skipped without being called
 * (some of Fastify's getters throw before the server listens).
 */
function viewDecoratorNames(context: object): string[] {
  const names = new Set<string>();
  for (
    let object: object | null = context;
    object !== null && object !== Object.prototype;
    object = Object.getPrototypeOf(object)
  ) {
    for (const name of Object.getOwnPropertyNames(object)) {
      const value: unknown = Object.getOwnPropertyDescriptor(object, name)?.value;
      if (typeof value === 'function' && typeof (value as { clearCache?: unknown }).clearCache === 'function') {
        names.add(name);
      }
    }
  }
  return [...names];
}

/** `app` and every encapsulation context registered inside it, parents before children. */
function contextsWithin(app: FastifyInstance): FastifyInstance[] {
  const childrenSymbol = fastifySymbol(app, 'fastify.children');
  const contexts: FastifyInstance[] = [];
  const visit = (context: FastifyInstance) => {
    contexts.push(context);
    const children =
      childrenSymbol === undefined ? undefined : (context as unknown as Record<symbol, unknown>)[childrenSymbol];
    if (Array.isArray(children)) for (const child of children as FastifyInstance[]) visit(child);
  };
  visit(app);
  return contexts;
}
