/**
 * Serves a Binance futures session the way the routed USDⓈ-M host does:
 * each connection gets only the frames of its path (`/public`: depth and
 * bookTicker; `/market`: everything else), in session order.
 */
import type { FakeExchange, Replay, ReplayOptions, SessionFrame } from '@dccd/testkit'

/** The routed path of a frame's stream (see src/futures/usdm.ts), or undefined for frames without one. */
export function routeOfFrame(frame: SessionFrame): '/public' | '/market' | undefined {
  const stream = (frame.data as { stream?: unknown } | null)?.stream
  if (typeof stream !== 'string') return undefined
  return /@(depth|bookTicker)/.test(stream) ? '/public' : '/market'
}

/** For `ReplayOptions.serves`: a connection gets the frames of its own path's streams, and every frame without a stream. */
export function servesRoute(frame: SessionFrame, path: string): boolean {
  const route = routeOfFrame(frame)
  return route === undefined || path.startsWith(`${route}/`)
}

/** Replays `session` to `/public/…` and `/market/…` connections, each its own path's frames (others keep every line). */
export function replayRouted(fx: FakeExchange, session: readonly SessionFrame[], options: ReplayOptions = {}): Record<'/public' | '/market', Replay> {
  const serve = (route: '/public' | '/market'): Replay =>
    fx.replay(
      session.filter((frame) => frame.dir !== 'in' || routeOfFrame(frame) === undefined || routeOfFrame(frame) === route),
      { ...options, path: (path) => path.startsWith(`${route}/`) },
    )
  return { '/public': serve('/public'), '/market': serve('/market') }
}
