/**
 * A co-therapist changed which words the other's observation quotes. Moving the end of a tagged
 * line (Backspace at the start of the line after it joins that line's words into it; Enter inside
 * it moves the rest out), typing inside or at the edge of a tagged span or line, or taking the mark
 * off some of its words keeps every word's writer, yet the observation then quotes more or less than
 * its author tagged, in her name (attack, 6 Dec: "tearful when her father came up." joined with "No
 * risk indicators today; plan unchanged."). The server compares what each observation quotes before
 * and after every update (`server/collab/observationExtents.ts`) and keeps, per observation, the
 * latest such change another made, with what it quoted before the first one; the review and the
 * exports label the observation with it. Its author's own edits are not recorded; one that makes it
 * quote what she tagged again takes the label off, as does the other's putting it back.
 */
export interface ExtentChange {
  /** Account that last changed what it quotes (never its author). */
  by: string;
  /** When the server received that change (ms, server clock). */
  at: number;
  /** What it quoted before the first change another made of it (as extentQuote reads it). */
  was: string;
}
