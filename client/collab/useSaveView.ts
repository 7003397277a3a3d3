import { useSyncExternalStore } from 'react';
import type { ExternalStore, SaveView } from './CollabConnection';

/**
 * The save badge's state, for the component that shows it: it re-renders as the state flips while
 * someone types, and its parents do not.
 */
export function useSaveView(saveState: ExternalStore<SaveView>): SaveView {
  return useSyncExternalStore(saveState.subscribe, saveState.getSnapshot);
}
