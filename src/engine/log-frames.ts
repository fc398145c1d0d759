/**
 * Container logs without a TTY arrive as multiplexed frames: an 8-byte header
 * (stream type, 3 zero bytes, big-endian payload length) before each payload.
 */
export function demultiplexLogs(buffer: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const streamType = buffer[offset];
    const length = buffer.readUInt32BE(offset + 4);
    if (streamType === undefined || streamType > 2 || offset + 8 + length > buffer.length) {
      // Not framed (a TTY container): the bytes are the log text itself.
      return buffer.toString('utf8');
    }
    parts.push(buffer.subarray(offset + 8, offset + 8 + length).toString('utf8'));
    offset += 8 + length;
  }
  return parts.join('');
}
