/** What the cleanup saved, net of restores (a restored resource costs money again). */
import type { WorkflowStore } from "../store/workflow-types.ts";

export async function netMonthlySavings(
  store: WorkflowStore,
): Promise<{ monthlyUsd: number; actions: number }> {
  let monthlyUsd = 0;
  let actions = 0;
  for (const saving of await store.listSavings()) {
    const undo = await store.getUndo(saving.findingId);
    if (undo?.restoredAt) continue;
    monthlyUsd += saving.monthlyUsd;
    actions++;
  }
  return { monthlyUsd: Math.round(monthlyUsd * 100) / 100, actions };
}
