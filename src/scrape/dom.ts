/**
 * Small helpers over the domhandler tree that cheerio (htmlparser2 mode) builds.
 * The extractor walks nodes directly: one pass per question, no selector engine,
 * which keeps a typical page in a few milliseconds.
 */
import type { AnyNode, Element, ParentNode } from 'domhandler';

export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

export function hasChildren(node: AnyNode): node is ParentNode & AnyNode {
  return 'children' in node && Array.isArray((node as ParentNode).children);
}

export function attr(el: Element, name: string): string {
  return el.attribs[name] ?? '';
}

export function elementChildren(node: AnyNode): Element[] {
  return hasChildren(node) ? node.children.filter(isElement) : [];
}

/** Detaches a node from its parent (domhandler keeps sibling links, so fix them too). */
export function removeNode(node: AnyNode): void {
  const parent = node.parent;
  if (!parent) return;
  const index = parent.children.indexOf(node as never);
  if (index >= 0) parent.children.splice(index, 1);
  if (node.prev) node.prev.next = node.next;
  if (node.next) node.next.prev = node.prev;
  node.parent = null;
  node.prev = null;
  node.next = null;
}

/** Every element under `root`, depth first, in document order. */
export function descendants(root: AnyNode): Element[] {
  const out: Element[] = [];
  const stack: AnyNode[] = hasChildren(root) ? [...root.children].reverse() : [];
  while (stack.length) {
    const node = stack.pop()!;
    if (!isElement(node)) continue;
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return out;
}

/** Raw text of a subtree (entities already decoded by the parser). */
export function textContent(node: AnyNode): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data;
  if (!hasChildren(node)) return '';
  let out = '';
  for (const child of node.children) out += textContent(child);
  return out;
}

export function normalizeSpace(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/**
 * Browsers stop nesting at a few hundred levels; a hostile or broken page can nest
 * thousands. Below `maxDepth`, keep only the text nodes of each subtree, in order,
 * so the recursive passes of the extractor stay within the stack.
 */
export function capDepth(root: AnyNode, maxDepth: number): void {
  const stack: Array<{ node: AnyNode; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (!hasChildren(node)) continue;
    if (depth >= maxDepth) {
      const texts: AnyNode[] = [];
      const inner: AnyNode[] = [...node.children].reverse();
      while (inner.length) {
        const n = inner.pop()!;
        if (n.type === 'text') texts.push(n);
        else if (hasChildren(n) && n.type !== 'script' && n.type !== 'style') for (let i = n.children.length - 1; i >= 0; i--) inner.push(n.children[i]!);
      }
      texts.forEach((t, i) => {
        t.parent = node;
        t.prev = texts[i - 1] ?? null;
        t.next = texts[i + 1] ?? null;
      });
      node.children = texts as typeof node.children;
      continue;
    }
    for (const child of node.children) stack.push({ node: child, depth: depth + 1 });
  }
}
