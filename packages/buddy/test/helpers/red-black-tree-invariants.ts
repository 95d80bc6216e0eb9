/**
 * Walks a whole {@link RedBlackTree} through its read-only `inspect()` view and throws a descriptive Error on
 * the first broken invariant: root black, no red node with a red child, equal black height on every
 * root-to-nil path, keys strictly increasing in order, parent links consistent, `size` equal to the node
 * count, cached minimum equal to the leftmost node. Iterative (explicit stack), so deep bugs cannot blow the
 * call stack. Returns the black height, which tests may use.
 */
import type { RedBlackTree } from "../../src/structures/red-black-tree.js";

export function checkRedBlackInvariants(tree: RedBlackTree): number {
  const view = tree.inspect();
  const { root, nil } = view;
  const fail = (what: string): never => {
    throw new Error(`red-black invariant broken: ${what} (size ${view.size}, root node ${root})`);
  };
  if (view.isRed(nil)) fail("nil sentinel is red");
  if (root === nil) {
    if (view.size !== 0) fail(`empty tree reports size ${view.size}`);
    if (view.minNode !== nil) fail(`empty tree caches min node ${view.minNode}`);
    if (view.maxNode !== nil) fail(`empty tree caches max node ${view.maxNode}`);
    return 0;
  }
  if (view.isRed(root)) fail("root is red");
  if (view.parent(root) !== nil) fail(`root node ${root} has parent ${view.parent(root)}`);

  // In-order walk with an explicit stack of [node, blacks above and including it].
  const stack: number[] = [];
  const blacks: number[] = [];
  let node = root;
  let blackAbove = 0;
  let count = 0;
  let previous = Number.NEGATIVE_INFINITY;
  let blackHeight = -1;
  let first = nil;
  let last = nil;
  const seen = new Set<number>();
  const reachNil = (depthBlacks: number, from: number) => {
    if (blackHeight === -1) blackHeight = depthBlacks;
    else if (depthBlacks !== blackHeight)
      fail(`path ending below node ${from} has ${depthBlacks} black nodes, others ${blackHeight}`);
  };
  for (;;) {
    while (node !== nil) {
      if (seen.has(node)) fail(`node ${node} reached twice (cycle or shared child)`);
      seen.add(node);
      const b = blackAbove + (view.isRed(node) ? 0 : 1);
      const l = view.left(node);
      const r = view.right(node);
      for (const child of [l, r]) {
        if (child === nil) reachNil(b, node);
        else {
          if (view.parent(child) !== node) fail(`node ${child} has parent ${view.parent(child)}, expected ${node}`);
          if (view.isRed(node) && view.isRed(child)) fail(`red node ${node} has red child ${child}`);
        }
      }
      stack.push(node);
      blacks.push(b);
      node = l;
      blackAbove = b;
    }
    if (stack.length === 0) break;
    node = stack.pop()!;
    blackAbove = blacks.pop()!;
    const key = view.key(node);
    if (!(key > previous)) fail(`key ${key} at node ${node} does not exceed previous key ${previous}`);
    if (count === 0) first = node;
    last = node;
    previous = key;
    count++;
    node = view.right(node);
  }
  if (count !== view.size) fail(`tree has ${count} nodes but size is ${view.size}`);
  if (view.minNode !== first) fail(`cached min node ${view.minNode}, leftmost is ${first}`);
  if (view.maxNode !== last) fail(`cached max node ${view.maxNode}, rightmost is ${last}`);
  return blackHeight;
}
