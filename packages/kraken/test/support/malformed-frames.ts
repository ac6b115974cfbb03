/**
 * Frames a broken proxy or a confused server might put on the wire. Each one must cost the feed
 * exactly one parse error (`stats.parseErrors`) and change nothing: no event, no book change, no
 * trade-id state. The last ones look like data for a subscribed symbol, so a parser that acts on a
 * frame before it has read all of it would leave a trace the chaos test's invariants see.
 */

/** What a malformed frame may quote to look plausible. */
export interface MalformedContext {
  /** A subscribed symbol. */
  readonly symbol: string
  /** An RFC 3339 time. */
  readonly timestamp: string
  /** A price inside the subscribed window that holds no level (a valid-looking insert). */
  readonly freeBidPrice: number
}

export interface MalformedFrame {
  readonly name: string
  readonly text: (context: MalformedContext) => string
}

export const MALFORMED_FRAMES: readonly MalformedFrame[] = [
  { name: 'not JSON', text: () => '<html>502 Bad Gateway</html>' },
  { name: 'cut off mid-frame', text: ({ symbol }) => `{"channel":"book","type":"update","data":[{"symbol":"${symbol}","bids":[{"price":` },
  { name: 'a JSON array', text: () => '[1,2,3]' },
  { name: 'a JSON number', text: () => '42' },
  { name: 'JSON null', text: () => 'null' },
  { name: 'a v1 event', text: () => '{"event":"heartbeat"}' },
  { name: 'a trade message without data', text: () => '{"channel":"trade","type":"update"}' },
  { name: 'book data that is an object', text: ({ symbol }) => JSON.stringify({ channel: 'book', type: 'update', data: { symbol } }) },
  {
    name: 'a trade without a timestamp',
    text: ({ symbol }) => JSON.stringify({ channel: 'trade', type: 'update', data: [{ symbol, side: 'buy', price: 1, qty: 1, ord_type: 'limit', trade_id: 1 }] }),
  },
  {
    name: 'a trade without a trade_id',
    text: ({ symbol, timestamp }) => JSON.stringify({ channel: 'trade', type: 'update', data: [{ symbol, side: 'sell', price: 1, qty: 1, ord_type: 'limit', timestamp }] }),
  },
  {
    name: 'a book update whose second level has a non-numeric price',
    text: ({ symbol, timestamp, freeBidPrice }) =>
      JSON.stringify({
        channel: 'book',
        type: 'update',
        data: [{ symbol, bids: [{ price: freeBidPrice, qty: 1.5 }, { price: 'abc', qty: 1 }], asks: [], checksum: 0, timestamp }],
      }),
  },
]
