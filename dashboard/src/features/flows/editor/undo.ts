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
}

export type UndoAction =
  /** a change that can be undone */
  | { type: "change"; update: (s: Snapshot) => Snapshot }
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
      return { past: [...state.past, state.present].slice(-LIMIT), present: next, future: [] };
    }
    case "amend": {
      const next = action.update(state.present);
      return next === state.present ? state : { ...state, present: next };
    }
    case "checkpoint":
      return { past: [...state.past, state.present].slice(-LIMIT), present: state.present, future: [] };
    case "undo": {
      if (!state.past.length) return state;
      return { past: state.past.slice(0, -1), present: state.past[state.past.length - 1], future: [state.present, ...state.future] };
    }
    case "redo": {
      if (!state.future.length) return state;
      return { past: [...state.past, state.present], present: state.future[0], future: state.future.slice(1) };
    }
    case "reset":
      return { past: [], present: action.snapshot, future: [] };
  }
}

export function initialUndo(snapshot: Snapshot): UndoState {
  return { past: [], present: snapshot, future: [] };
}
