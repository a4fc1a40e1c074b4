import { isSendArgs } from './send-args';

/** Makes an event from args, a signal and a sender; null when the args are not send args. */
type MakeEvent = (args: object, signal: object, sender: unknown) => object | null;

/** After this many distinct args shapes, a signal stops specialising and always copies generically. */
const MAX_SHAPES = 4;

/**
 * The compiled makers by shape (their keys, in order), shared by every signal: signals that send
 * args of one shape (the Fastify plugin's `{ request, reply }`) call one function, which V8 can
 * then inline into the send instead of calling one maker per signal.
 */
const makers = new Map<string, MakeEvent>();

/**
 * Builds the event object `{ ...args, signal, sender }` of one signal, where the real `signal`
 * and `sender` win over keys of the same name.
 *
 * Why not just spread: the send bars need this builder (measured in every bench run, table
 * "Other sends" of docs/benchmarks.md). For `{ request, reply }`, in one run where a send to one
 * receiver took 50.8 ns: this builder 18.6 ns and 56 B; `{ signal, sender, ...args }` 46.2 ns
 * and 88 B, about a whole `Subject.next` to one subscriber, so the 1-receiver bar could not be
 * met with it; `{ ...args, signal, sender }`, which V8 on Node 20 sends down its slow path,
 * 2,316 ns and 541 B. A signal nearly always sends args of one shape (Django's
 * `providing_args`), so the builder learns that shape's keys and compiles an object literal for
 * it (the technique of fast-json-stringify and ajv). Each send checks, with a `for...in` over
 * the args, that they still have exactly those keys in that order (about half the builder's
 * time); any other shape takes the generic copy, and after a few shapes the signal stays generic.
 *
 * Like spread, it copies own enumerable string keys; unlike spread, the compiled path ignores
 * symbol-keyed args, which no signal payload should rely on.
 *
 * It also decides whether the args are send args at all (`isSendArgs`), and returns null when
 * not. A compiled maker checks the args' prototype after reading their keys: V8 knows their
 * hidden class there from the maker's own feedback (one shape per maker), so the check folds
 * away, where in `dispatch` it depended on feedback shared by every send of the process.
 *
 * @example
 * const build = new EventBuilder();
 * build.event(signal, app, { request, reply }); // { request, reply, signal, sender: app }
 * build.event(signal, app, [1, 2]); // null: not send args
 * @internal
 */
export class EventBuilder {
  private keys: readonly string[] | null = null;
  private make: MakeEvent | null = null;
  private shapes = 0;

  event(signal: object, sender: unknown, args: unknown): object | null {
    if (args === undefined) return { signal, sender };
    if (typeof args !== 'object' || args === null) return null;
    const keys = this.keys;
    if (keys !== null) {
      let index = 0;
      let same = true;
      for (const key in args) {
        if (key !== keys[index++]) {
          same = false;
          break;
        }
      }
      if (same && index === keys.length) return this.make!(args, signal, sender);
    }
    // Refused args are not learnt: a shape is a slot of the few a signal specialises for.
    return isSendArgs(args) ? this.learn(args)(args, signal, sender) : null;
  }

  /** Compiles a maker for the shape of `args`, or falls back to the generic copy for good. */
  private learn(args: object): MakeEvent {
    const keys = Object.keys(args);
    const known = this.keys;
    const sameKeys = known !== null && known.length === keys.length && known.every((key, i) => key === keys[i]);
    // Same own keys but for...in disagreed: inherited enumerable keys, which a literal would copy.
    if (sameKeys || this.shapes >= MAX_SHAPES || keys.includes('__proto__')) return copyGenerically;
    this.shapes++;
    const make = makerFor(keys);
    if (make === null) {
      this.shapes = MAX_SHAPES; // code generation disallowed (--disallow-code-generation-from-strings)
      return copyGenerically;
    }
    this.keys = keys;
    this.make = make;
    return make;
  }
}

/** The maker of events from args with exactly these keys, compiled once per shape; null when code generation is disallowed. */
function makerFor(keys: readonly string[]): MakeEvent | null {
  const shape = JSON.stringify(keys);
  let make = makers.get(shape);
  if (make === undefined) {
    // The keys are read before the prototype is checked, so that V8 knows the args' hidden class there.
    const reads = keys.map((key, i) => `const v${i} = args[${JSON.stringify(key)}];`);
    const fields = keys.map((key, i) => `${JSON.stringify(key)}: v${i}`);
    try {
      const compile = new Function(
        'isSendArgs',
        `return function makeEvent(args, signal, sender) {
          ${reads.join(' ')}
          return isSendArgs(args) ? { ${[...fields, 'signal', 'sender'].join(', ')} } : null;
        };`,
      ) as (check: typeof isSendArgs) => MakeEvent;
      make = compile(isSendArgs);
    } catch {
      return null;
    }
    makers.set(shape, make);
  }
  return make;
}

/** Copies args of any shape; their prototype was checked by the caller. */
function copyGenerically(args: object, signal: object, sender: unknown): object {
  const event = { signal, sender, ...args } as { signal: unknown; sender: unknown };
  if (event.signal !== signal || event.sender !== sender) {
    event.signal = signal; // untyped args with keys of the same name: the real ones win
    event.sender = sender;
  }
  return event;
}
