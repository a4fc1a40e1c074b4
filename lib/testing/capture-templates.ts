import { describeValue, rejectUnknownKeys, requireOptionsObject } from '../core/checks';
import { templateRendered } from '../fastify/signals';
import { requireFunction } from './internal/require';
import { snapshot } from './internal/snapshot';

/**
 * What {@link captureTemplates} resolves with.
 *
 * @example
 * const { result, templates, contexts }: CapturedTemplates<LightMyRequestResponse> = await captureTemplates(() => app.inject('/'));
 */
export interface CapturedTemplates<R> {
  /** What `fn` resolved with (a response of `app.inject`, say). */
  readonly result: R;
  /** The template names, in render order (Django test client's `response.templates`). */
  readonly templates: string[];
  /**
   * The context of each render, in the same order, copied when the render started: plain
   * objects and arrays deeply, class instances shared (Django's `response.context`).
   */
  readonly contexts: Readonly<Record<string, unknown>>[];
}

/**
 * Options of {@link captureTemplates}.
 *
 * @example
 * await captureTemplates(() => app.inject('/'), { sender: app });
 */
export interface CaptureTemplatesOptions {
  /** Only renders of this app (the sender of `templateRendered`); by default every app's. */
  sender?: object;
}

/**
 * Runs `fn` (usually requests against an app registered with `signalsPlugin` and
 * `@fastify/view`) and collects every `templateRendered` event sent until its Promise settles.
 * If `fn` throws or rejects, nothing is returned and the error is passed on; the capture stops
 * either way.
 *
 * @example
 * const { result, templates, contexts } = await captureTemplates(() => app.inject('/profile'));
 * expect(result.statusCode).toBe(200);
 * expect(templates).toEqual(['profile.hbs']);
 * expect(contexts[0].user).toEqual({ name: 'ada' });
 */
export async function captureTemplates<R>(
  fn: () => R | PromiseLike<R>,
  options?: CaptureTemplatesOptions,
): Promise<CapturedTemplates<Awaited<R>>> {
  requireFunction('captureTemplates(fn)', fn, 'captureTemplates(() => app.inject("/"))');
  requireOptionsObject('captureTemplates()', options);
  if (options) rejectUnknownKeys('captureTemplates()', options, ['sender']);
  const sender = options?.sender;
  if (options && 'sender' in options && (typeof sender !== 'object' || sender === null)) {
    throw new TypeError(
      `captureTemplates(): options.sender must be the app whose renders to capture, got ${describeValue(sender)}.`,
    );
  }

  const templates: string[] = [];
  const contexts: Readonly<Record<string, unknown>>[] = [];
  // An Observable subscription, not a connection: capturing takes no place among the receivers
  // and still sees renders while they are muted.
  let copyFailure: { error: unknown } | undefined;
  const subscription = templateRendered.subscribe((event) => {
    if (sender !== undefined && event.sender !== sender) return;
    templates.push(event.template);
    try {
      contexts.push(snapshot(event.context));
    } catch (error) {
      // A getter of the context threw. Thrown here it would be rethrown by RxJS on a timer and
      // kill the process; the caller gets it instead once fn has settled.
      copyFailure ??= { error };
      contexts.push(event.context);
    }
  });
  try {
    const result = await fn();
    if (copyFailure) throw copyFailure.error;
    return { result, templates, contexts };
  } finally {
    subscription.unsubscribe();
  }
}
