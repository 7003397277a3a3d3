import type { Editor } from '@tiptap/core';
import { useEffect, useState } from 'react';

/**
 * A number that changes shortly after the editor's text changes (at most every `delayMs`), for
 * views derived from the text (quotes beside the note) that need not follow every keystroke.
 */
export function useDocVersion(editor: Editor | null, delayMs = 400): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!editor) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onUpdate = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        setVersion((v) => v + 1);
      }, delayMs);
    };
    editor.on('update', onUpdate);
    return () => {
      editor.off('update', onUpdate);
      if (timer) clearTimeout(timer);
    };
  }, [editor, delayMs]);
  return version;
}
