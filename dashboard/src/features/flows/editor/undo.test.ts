import { describe, expect, it } from "vitest";
import { initialUndo, undoReducer, type Snapshot } from "./undo";

const a: Snapshot = { definition: { nodes: [{ type: "entry", id: "start" }] }, positions: {} };
const rename = (id: string) => (s: Snapshot): Snapshot => ({ ...s, definition: { nodes: [{ type: "entry", id }] } });

describe("undo and redo", () => {
  it("steps back and forth through changes; a new change drops the redo steps", () => {
    let s = initialUndo(a);
    s = undoReducer(s, { type: "change", update: rename("b") });
    s = undoReducer(s, { type: "change", update: rename("c") });
    s = undoReducer(s, { type: "undo" });
    expect(s.present.definition.nodes![0].id).toBe("b");
    s = undoReducer(s, { type: "redo" });
    expect(s.present.definition.nodes![0].id).toBe("c");
    s = undoReducer(s, { type: "undo" });
    s = undoReducer(s, { type: "change", update: rename("d") });
    expect(s.future).toEqual([]);
    expect(undoReducer(s, { type: "redo" })).toBe(s);
  });

  it("makes one step of a drag: a checkpoint, then amendments", () => {
    let s = initialUndo(a);
    s = undoReducer(s, { type: "checkpoint" });
    for (const y of [1, 2, 3]) s = undoReducer(s, { type: "amend", update: (x) => ({ ...x, positions: { start: { x: 0, y } } }) });
    expect(s.present.positions.start).toEqual({ x: 0, y: 3 });
    s = undoReducer(s, { type: "undo" });
    expect(s.present).toBe(a);
    expect(undoReducer(initialUndo(a), { type: "undo" }).present).toBe(a);
  });

  it("makes one step of typing in one place, and a new step after a pause or elsewhere", () => {
    let s = initialUndo(a);
    s = undoReducer(s, { type: "change", update: rename("b"), key: "node:x", at: 1000 });
    s = undoReducer(s, { type: "change", update: rename("bc"), key: "node:x", at: 1500 });
    s = undoReducer(s, { type: "change", update: rename("bcd"), key: "node:x", at: 2200 });
    expect(s.past).toHaveLength(1);
    s = undoReducer(s, { type: "change", update: rename("bcde"), key: "node:x", at: 3500 });
    s = undoReducer(s, { type: "change", update: rename("y"), key: "node:y", at: 3600 });
    expect(s.past).toHaveLength(3);
    s = undoReducer(s, { type: "undo" });
    s = undoReducer(s, { type: "undo" });
    expect(s.present.definition.nodes![0].id).toBe("bcd");
  });
});
