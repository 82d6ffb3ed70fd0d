import type { View } from '../flow/views.js';
import type { Lang } from '../i18n/i18n.js';

/** What a channel must do for the flow: show a view (in place or new) and take the buttons off an old card. */
export interface FlowPresenter {
  /**
   * Replaces message `replace` when given (falls back to a new message if that fails); resolves the message id. The
   * view's texts are already in `lang`; the channel's own words (card labels, buttons) must be too.
   */
  show(address: unknown, view: View, replace?: string, lang?: Lang): Promise<{ messageId?: string; replaced: boolean }>;
  retire(address: unknown, messageId: string, lang?: Lang): Promise<void>;
}

/** The flow events for subscribers (audit and notify are effects; these are for helpdesk status, metrics, logs). */
export interface FlowEventRecord {
  name: string;
  flowId: string;
  oid: string;
  channel: string;
  at: number;
  detail?: string;
}

export type FlowEventListener = (event: FlowEventRecord) => void | Promise<void>;
