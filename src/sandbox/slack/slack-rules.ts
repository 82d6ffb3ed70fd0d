// What Slack's Web API checks before it does anything, for the simulator: the scope each method needs (answered
// `missing_scope` with `needed`/`provided`, as Slack does), and Block Kit's documented limits (answered
// `invalid_blocks`, as Slack does) — so the tests catch what Slack would reject. Sources: each method's page on
// api.slack.com (Required scopes) and the Block Kit reference (block and element limits).

/** Bot scope each method Proofup calls needs (methods without one need none). */
export const SCOPE_OF: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'conversations.open': 'im:write',
  'conversations.history': 'im:history',
  'users.info': 'users:read',
};

type Node = Record<string, unknown>;
const textOf = (t: unknown) => String((t as { text?: unknown } | undefined)?.text ?? '');

/** The first reason Slack would refuse these blocks, or undefined. */
export function blockProblem(blocks: unknown, max = 50): string | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return 'blocks must be an array';
  if (blocks.length > max) return `more than ${max} blocks`;
  const blockIds = new Set<string>();
  for (const [i, block] of (blocks as Node[]).entries()) {
    const id = block.block_id as string | undefined;
    if (id && blockIds.has(id)) return `blocks[${i}]: duplicate block_id ${id}`;
    if (id) blockIds.add(id);
    if (id && id.length > 255) return `blocks[${i}]: block_id over 255 characters`;
    switch (block.type) {
      case 'header':
        if (textOf(block.text).length > 150) return `blocks[${i}]: header text over 150 characters`;
        break;
      case 'section': {
        if (!block.text && !block.fields) return `blocks[${i}]: section needs text or fields`;
        if (textOf(block.text).length > 3000) return `blocks[${i}]: section text over 3000 characters`;
        const fields = (block.fields as unknown[] | undefined) ?? [];
        if (fields.length > 10) return `blocks[${i}]: more than 10 fields`;
        if (fields.some((f) => textOf(f).length > 2000)) return `blocks[${i}]: a field over 2000 characters`;
        break;
      }
      case 'context':
        if (((block.elements as unknown[]) ?? []).length > 10) return `blocks[${i}]: more than 10 context elements`;
        break;
      case 'actions': {
        const elements = (block.elements as Node[]) ?? [];
        if (elements.length === 0 || elements.length > 25) return `blocks[${i}]: actions needs 1 to 25 elements`;
        const actionIds = new Set<string>();
        for (const e of elements) {
          const actionId = String(e.action_id ?? '');
          if (actionId.length > 255) return `blocks[${i}]: action_id over 255 characters`;
          if (actionId && actionIds.has(actionId)) return `blocks[${i}]: duplicate action_id ${actionId}`;
          actionIds.add(actionId);
          if (e.type === 'button') {
            if (textOf(e.text).length > 75) return `blocks[${i}]: button text over 75 characters`;
            if (String(e.value ?? '').length > 2000) return `blocks[${i}]: button value over 2000 characters`;
            if (e.url && String(e.url).length > 3000) return `blocks[${i}]: button url over 3000 characters`;
          }
        }
        break;
      }
      case 'input':
        if (textOf(block.label).length > 2000) return `blocks[${i}]: input label over 2000 characters`;
        if (!block.element) return `blocks[${i}]: input needs an element`;
        break;
      case 'divider':
      case 'image':
        break;
      default:
        return `blocks[${i}]: unknown block type ${String(block.type)}`;
    }
  }
  return undefined;
}

/** A modal or Home tab view as Slack checks it (title/submit/close ≤ 24 characters; ≤ 100 blocks). */
export function viewProblem(view: unknown): string | undefined {
  const v = view as Node | undefined;
  if (!v || (v.type !== 'modal' && v.type !== 'home')) return 'view type must be modal or home';
  if (v.type === 'modal') {
    for (const key of ['title', 'submit', 'close'])
      if (v[key] && textOf(v[key]).length > 24) return `${key} over 24 characters`;
    if (!v.title) return 'a modal needs a title';
    if (String(v.private_metadata ?? '').length > 3000) return 'private_metadata over 3000 characters';
    if (String(v.callback_id ?? '').length > 255) return 'callback_id over 255 characters';
  }
  return blockProblem(v.blocks, 100);
}
