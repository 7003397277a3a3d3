import type { FanoutMessage } from './Fanout';

const FRAME_VERSION = 1;
const KINDS: FanoutMessage['kind'][] = ['update', 'awareness'];
/** Bytes of the random per-process id that marks a process's own echoes. */
export const INSTANCE_ID_BYTES = 16;
/** version (1) · kind (1) · instance id (16) · publish time, ms since epoch, float64 BE (8) · payload. */
const HEADER_BYTES = 2 + INSTANCE_ID_BYTES + 8;

/** A content message as it crosses a session's channel: binary, stamped with its sender and publish time. */
export function encodeFrame(instance: Buffer, message: FanoutMessage): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + message.data.byteLength);
  frame[0] = FRAME_VERSION;
  frame[1] = KINDS.indexOf(message.kind);
  instance.copy(frame, 2);
  frame.writeDoubleBE(Date.now(), 2 + INSTANCE_ID_BYTES);
  frame.set(message.data, HEADER_BYTES);
  return frame;
}

/** The frame's sender, publish time (ms since epoch) and message (a view on `frame`); null for a frame of another version or kind. */
export function decodeFrame(frame: Buffer): { from: Buffer; publishedAt: number; message: FanoutMessage } | null {
  const kind = KINDS[frame[1] ?? -1];
  if (frame.length < HEADER_BYTES || frame[0] !== FRAME_VERSION || !kind) return null;
  return {
    from: frame.subarray(2, 2 + INSTANCE_ID_BYTES),
    publishedAt: frame.readDoubleBE(2 + INSTANCE_ID_BYTES),
    message: { kind, data: new Uint8Array(frame.buffer, frame.byteOffset + HEADER_BYTES, frame.length - HEADER_BYTES) },
  };
}
