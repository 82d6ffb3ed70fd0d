// How a step's view reaches the chat (pure): the flow keeps ONE live card (its "panel"). A press on that card updates
// it in place; typed text gets a fresh card below it and the old one loses its buttons, so no live button is left
// behind either way.
import type { Effect, Flow, Transition, Via } from './flow.js';
import type { ResultModel, View } from './views.js';

export function showOnPanel(flow: Flow, view: View, via: Via): { flow: Flow; effects: Effect[] } {
  if (flow.panel && via !== 'text') return { flow, effects: [{ kind: 'show', view, replace: flow.panel }] };
  const retire: Effect[] = flow.panel ? [{ kind: 'retire', messageId: flow.panel }] : [];
  return { flow: { ...flow, panel: undefined }, effects: [{ kind: 'show', view, panel: true }, ...retire] };
}

export function notice(text: string): Effect {
  return { kind: 'show', view: { name: 'notice', text } };
}

/** An answer to this input only: nothing stored. */
export function reply(flow: Flow | undefined, ...effects: Effect[]): Transition {
  return { flow, effects, changed: false };
}

/** A result card; `escalate` offers "Ask the helpdesk" with that reason (the flow id tells the agent which change). */
export function result(model: ResultModel): View {
  return { name: 'change-result', model: { escalate: '', flowId: '', ...model } };
}

/** A stored transition: the new flow and the effects that go into its outbox with it. */
export function commit(flow: Flow, now: number, ...effects: Effect[]): Transition {
  return { flow: { ...flow, updatedAt: now }, effects, changed: true };
}

/** Shows `view` on the panel and stores the new state. */
export function moveTo(flow: Flow, now: number, view: View, via: Via, ...more: Effect[]): Transition {
  const shown = showOnPanel(flow, view, via);
  return commit(shown.flow, now, ...shown.effects, ...more);
}
