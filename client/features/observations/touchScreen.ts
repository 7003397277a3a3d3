/**
 * A touch screen or a narrow window: the keyboard shortcuts are out of reach there, and the bar by
 * selected words (SelectionToolbar) offers what they do.
 */
export const TOUCH_QUERY = '(pointer: coarse), (max-width: 640px)';

export const onTouchScreen = (): boolean => window.matchMedia(TOUCH_QUERY).matches;
