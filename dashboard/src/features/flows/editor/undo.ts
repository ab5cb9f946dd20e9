import type { FlowDefinition } from "../definition";
import type { Positions } from "./model";

/** What the editor holds and undo/redo steps through: the definition and where its nodes are drawn. */
export interface Snapshot {
  definition: FlowDefinition;
  positions: Positions;
}

export interface UndoState {
  past: Snapshot[];
  present: Snapshot;
  future: Snapshot[];
  /** the key and time of the last keyed change: typing in one place makes one step, not one per key */
  last?: { key: string; at: number };
}

/** Keyed changes this close together (ms) make one undo step. */
export const COALESCE_MS = 1000;

export type UndoAction =
  /** a change that can be undone; with a key, one step with the previous change of that key made within COALESCE_MS */
  | { type: "change"; update: (s: Snapshot) => Snapshot; key?: string; at?: number }
  /** a change that joins the last undoable step (a node being dragged, after `checkpoint`) */
  | { type: "amend"; update: (s: Snapshot) => Snapshot }
  /** the present becomes an undo step (at the start of a drag) */
  | { type: "checkpoint" }
  | { type: "undo" }
  | { type: "redo" }
  /** a fresh start: no history (a reload of the draft) */
  | { type: "reset"; snapshot: Snapshot };

const LIMIT = 200;

export function undoReducer(state: UndoState, action: UndoAction): UndoState {
  switch (action.type) {
    case "change": {
      const next = action.update(state.present);
      if (next === state.present) return state;
      const at = action.at ?? 0;
      const last = action.key ? { key: action.key, at } : undefined;
      if (last && state.last?.key === last.key && at - state.last.at < COALESCE_MS && state.past.length) {
        return { ...state, present: next, future: [], last };
      }
      return { past: [...state.past, state.present].slice(-LIMIT), present: next, future: [], last };
    }
    case "amend": {
      const next = action.update(state.present);
      return next === state.present ? state : { ...state, present: next, last: undefined };
    }
    case "checkpoint":
      return { past: [...state.past, state.present].slice(-LIMIT), present: state.present, future: [], last: undefined };
    case "undo": {
      if (!state.past.length) return state;
      return { past: state.past.slice(0, -1), present: state.past[state.past.length - 1], future: [state.present, ...state.future], last: undefined };
    }
    case "redo": {
      if (!state.future.length) return state;
      return { past: [...state.past, state.present], present: state.future[0], future: state.future.slice(1), last: undefined };
    }
    case "reset":
      return { past: [], present: action.snapshot, future: [] };
  }
}

export function initialUndo(snapshot: Snapshot): UndoState {
  return { past: [], present: snapshot, future: [] };
}
