/** Largest websocket message the server accepts by default (TANDEM_MAX_MESSAGE_BYTES). */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/** Bytes lib0 uses to write `n` as a varUint (7 bits per byte). */
function varUintBytes(n: number): number {
  let bytes = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    bytes++;
  }
  return bytes;
}

/**
 * The size of the websocket message that carries a document update of `updateBytes` bytes
 * (message type, sync sub-type, length prefix, update): what the server compares with its limit.
 */
export const updateMessageBytes = (updateBytes: number): number => 2 + varUintBytes(updateBytes) + updateBytes;
