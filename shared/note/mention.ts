/** How a member mention reads in text: "@" and the member's label (its element's `id` attribute). */
export const mentionText = (attrs: Record<string, unknown>): string => `@${typeof attrs.id === 'string' ? attrs.id : 'member'}`;
