import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * A document update as it crosses between processes, with the authorship bindings of the client
 * ids it writes with. Every process checks incoming writes against its own binding map, so it must
 * learn a binding made on another process at the same moment it learns the items written under it.
 */
export function encodeFanoutUpdate(update: Uint8Array, bindings: Iterable<[number, string]>): Uint8Array {
  const e = encoding.createEncoder();
  const list = Array.from(bindings);
  encoding.writeVarUint(e, list.length);
  for (const [client, account] of list) {
    encoding.writeVarUint(e, client);
    encoding.writeVarString(e, account);
  }
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

export function decodeFanoutUpdate(data: Uint8Array): { update: Uint8Array; bindings: [number, string][] } {
  const d = decoding.createDecoder(data);
  const n = decoding.readVarUint(d);
  const bindings: [number, string][] = [];
  for (let i = 0; i < n; i++) bindings.push([decoding.readVarUint(d), decoding.readVarString(d)]);
  return { update: decoding.readVarUint8Array(d), bindings };
}

/** The known bindings (Yjs client id → account) of some client ids, all of them when `clients` is omitted. */
export function bindingsOf(accounts: ReadonlyMap<number, string>, clients?: Iterable<number>): [number, string][] {
  if (!clients) return Array.from(accounts);
  return Array.from(clients, (c) => [c, accounts.get(c)] as const).filter((b): b is [number, string] => b[1] !== undefined);
}
