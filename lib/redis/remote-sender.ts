/** Marks RemoteSenders across copies of the package (a CommonJS and an ESM copy in one process). */
const REMOTE = Symbol.for('rx-signals.remote-sender');

/**
 * The sender of an event that came from another instance through a Redis bridge: one stable
 * object per origin instance (`bridge.remote(instanceId)`), so `sender` filters work on it. An
 * event whose sender is a RemoteSender is never relayed again, by any bridge.
 *
 * @example
 * settingChanged.connect(({ sender, setting }) => {
 *   if (isRemoteSender(sender)) console.log(`${setting} changed on ${sender.instanceId}`);
 * });
 */
export class RemoteSender {
  /** @internal */
  readonly [REMOTE] = true;

  /** @internal Made by {@link RemoteSenders.of}: one per origin, never by users. */
  constructor(readonly instanceId: string) {
    Object.freeze(this);
  }

  /** `RemoteSender(<instanceId>)`, for logs. */
  toString(): string {
    return `RemoteSender(${this.instanceId})`;
  }
}

/**
 * True when `sender` is the RemoteSender of some bridge (whichever copy of the package made it).
 *
 * @example
 * signal.connect(({ sender }) => { if (!isRemoteSender(sender)) audit(sender); });
 */
export function isRemoteSender(sender: unknown): sender is RemoteSender {
  if (typeof sender !== 'object' || sender === null) return false;
  try {
    return (sender as { [REMOTE]?: unknown })[REMOTE] === true;
  } catch {
    return false; // a Proxy sender that throws on reads is not one of ours
  }
}

/**
 * The RemoteSender of each origin instance, made once and kept while anyone holds it, so the
 * same origin is the same object. Held weakly: instance ids come and go (one per pod, per
 * restart without a fixed id) and a strong map would grow for ever; a sender nobody holds can
 * be made again, as no one is left to tell the new object from the old.
 */
export class RemoteSenders {
  private readonly byId = new Map<string, WeakRef<RemoteSender>>();
  private readonly forget = new FinalizationRegistry<string>((instanceId) => {
    if (this.byId.get(instanceId)?.deref() === undefined) this.byId.delete(instanceId);
  });

  of(instanceId: string): RemoteSender {
    let sender = this.byId.get(instanceId)?.deref();
    if (sender === undefined) {
      sender = new RemoteSender(instanceId);
      this.byId.set(instanceId, new WeakRef(sender));
      this.forget.register(sender, instanceId);
    }
    return sender;
  }
}
