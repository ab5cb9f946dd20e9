import { describe, expect, it } from "vitest";
import { ApiError } from "@/api/problem";
import { pinnedProblem } from "./problems";

describe("a refused definition, pinned", () => {
  it("names the node and its own field from nodeId and nodeField", () => {
    const e = new ApiError(422, { code: "flow.split.percent", detail: "The paths sum to 90.", nodeId: "ab", nodeField: "paths" });
    expect(pinnedProblem(e)).toEqual({ nodeId: "ab", field: "paths", message: "The paths sum to 90." });
  });

  it("takes the node's field from a field path, by id or (400) by index in what was sent", () => {
    const byId = new ApiError(422, { detail: "required", errors: [{ field: "definition.nodes[send-1].next", message: "required" }] });
    expect(pinnedProblem(byId)).toEqual({ nodeId: "send-1", field: "next", message: "required" });
    const byIndex = new ApiError(400, { detail: "Unreadable", field: "definition.nodes[1].content.subject" });
    expect(pinnedProblem(byIndex, { nodes: [{ type: "entry", id: "start" }, { type: "send", id: "mail" }] })).toEqual({
      nodeId: "mail",
      field: "content.subject",
      message: "Unreadable",
    });
  });

  it("keeps a trigger's path, and is nothing for other errors", () => {
    const e = new ApiError(422, { detail: "Unknown segment", field: "definition.trigger.segmentId" });
    expect(pinnedProblem(e)).toEqual({ nodeId: undefined, field: "trigger.segmentId", message: "Unknown segment" });
    expect(pinnedProblem(new Error("boom"))).toBeUndefined();
  });
});
