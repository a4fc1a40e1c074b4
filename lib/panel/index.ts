/**
 * The live signals panel, a Fastify plugin.
 */
export { signalsPanel } from './plugin';
export { BUILT_IN_SIGNALS, type SignalsPanelOptions, type PanelSignal, type PanelRequestGuard } from './options';
export type { ClusterBridge, InstanceSummary } from './cluster';
