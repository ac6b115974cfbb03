/**
 * One unmasked server-to-client text frame (RFC 6455 §5.2), built once so a
 * flooding server costs almost nothing per frame: the loopback servers of the
 * transport and end-to-end benches write these straight to the TCP socket.
 */
export function encodeFrame(text: string): Buffer {
  const payload = Buffer.from(text)
  const n = payload.length
  const header = n < 126 ? Buffer.from([0x81, n]) : n < 65536 ? Buffer.from([0x81, 126, n >> 8, n & 255]) : Buffer.alloc(10)
  if (n >= 65536) {
    header[0] = 0x81
    header[1] = 127
    header.writeBigUInt64BE(BigInt(n), 2)
  }
  return Buffer.concat([header, payload])
}
