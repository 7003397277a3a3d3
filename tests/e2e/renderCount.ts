/**
 * Counts how often a component renders in the built (production) client, without any test code in
 * the app: React reports every commit to the developer-tools hook when one is installed before it
 * loads, production builds included. A function component ran in a commit exactly when its hook
 * list is a new object (React copies the list on every render and keeps it on a bail-out).
 */
import type { Page } from 'playwright-core';

interface Counted {
  renders: number;
}

/**
 * Installs the hook and reloads the page (the login cookie keeps the person signed in), then
 * counts renders of the component whose outermost element has the class `rootClass`. Read the
 * count with {@link renderCount}.
 */
export async function countRendersOf(page: Page, rootClass: string): Promise<void> {
  await page.addInitScript((cls: string) => {
    // React's fibers as far as this counter reads them (the hook hands them over untyped).
    interface Fiber {
      tag: number;
      stateNode: unknown;
      memoizedState: unknown;
      child: Fiber | null;
      sibling: Fiber | null;
      return: Fiber | null;
    }
    const FUNCTION_TAGS = new Set([0, 11, 14, 15]); // function, forwardRef, memo, simple memo
    const HOST_COMPONENT = 5;
    const counted: Counted = { renders: 0 };
    let lastHooks: unknown = undefined;
    const findHost = (root: Fiber): Fiber | null => {
      const stack: Fiber[] = [root];
      while (stack.length > 0) {
        const fiber = stack.pop()!;
        if (fiber.tag === HOST_COMPONENT && fiber.stateNode instanceof Element && fiber.stateNode.classList.contains(cls)) return fiber;
        if (fiber.sibling) stack.push(fiber.sibling);
        if (fiber.child) stack.push(fiber.child);
      }
      return null;
    };
    (window as unknown as { __tandemRenders: Counted }).__tandemRenders = counted;
    (window as unknown as { __REACT_DEVTOOLS_GLOBAL_HOOK__: object }).__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
      supportsFiber: true,
      renderers: new Map(),
      inject: () => 1,
      checkDCE: () => undefined,
      onCommitFiberUnmount: () => undefined,
      onPostCommitFiberRoot: () => undefined,
      onCommitFiberRoot(_id: number, root: { current: Fiber }) {
        let owner = findHost(root.current)?.return ?? null;
        while (owner && !FUNCTION_TAGS.has(owner.tag)) owner = owner.return;
        if (!owner || owner.memoizedState === lastHooks) return;
        lastHooks = owner.memoizedState;
        counted.renders++;
      },
    };
  }, rootClass);
  await page.reload();
}

/** Renders counted since {@link countRendersOf} (the first one included). */
export function renderCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __tandemRenders: Counted }).__tandemRenders.renders);
}
