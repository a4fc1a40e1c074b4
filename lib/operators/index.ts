/**
 * Request-event pipelines: operators over the request signals.
 */
export { isRequestStarted, isRequestException, isRequestFinished } from './request-events';
export { groupByRequest, type RequestEvents } from './group-by-request';
export {
  summarizeRequests,
  summarizeRequest,
  isFailedRequest,
  UNMATCHED_ROUTE,
  type RequestSummary,
} from './summarize-requests';
export { slowerThan } from './slower-than';
export { rollingRequestStats, type RollingRequestStatsOptions, type RequestStats } from './rolling-request-stats';
export { groupByRoute, routeKey, OTHER_ROUTES, type GroupByRouteOptions } from './group-by-route';
export { latencyByRoute, type LatencyByRouteOptions, type RouteLatency } from './latency-by-route';
