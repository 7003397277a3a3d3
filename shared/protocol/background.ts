/**
 * A request a page makes by itself (a poll for what others changed), not because someone used it:
 * with this header (value `1`) it does not refresh the login's idle clock, as a websocket's
 * reconnect does not (README: typing or moving the cursor counts as use). A client can only make
 * its own login end sooner with it.
 */
export const BACKGROUND_HEADER = 'X-Tandem-Background';
