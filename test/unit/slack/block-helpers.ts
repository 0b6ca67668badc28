/** Reading Block Kit messages in tests: every interactive element, every value, all the words. */
import type { KnownBlock } from "@slack/types";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export function interactiveElements(blocks: readonly KnownBlock[]): Json[] {
  const out: Json[] = [];
  for (const block of blocks as unknown[]) {
    if (!isObject(block)) continue;
    if (block.type === "actions" && Array.isArray(block.elements))
      out.push(...block.elements.filter(isObject));
    if (isObject(block.accessory)) out.push(block.accessory);
  }
  return out;
}

/** Every value a click can send back: button values and menu option values. */
export function interactiveValues(blocks: readonly KnownBlock[]): string[] {
  return interactiveElements(blocks).flatMap((el) => {
    const values: string[] = [];
    if (typeof el.value === "string") values.push(el.value);
    if (Array.isArray(el.options)) {
      for (const o of el.options) if (isObject(o) && typeof o.value === "string") values.push(o.value);
    }
    return values;
  });
}

export function actionIds(blocks: readonly KnownBlock[]): string[] {
  return interactiveElements(blocks).map((el) => String(el.action_id));
}

export function element(blocks: readonly KnownBlock[], actionId: string): Json {
  const found = interactiveElements(blocks).find((el) => el.action_id === actionId);
  if (!found) throw new Error(`no element ${actionId}`);
  return found;
}

/** All text a reader sees (mrkdwn and plain_text), joined. */
export function allText(blocks: readonly unknown[]): string {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      if ((v.type === "mrkdwn" || v.type === "plain_text") && typeof v.text === "string") parts.push(v.text);
      for (const [k, child] of Object.entries(v)) if (k !== "text" || typeof child !== "string") walk(child);
    }
  };
  walk(blocks);
  return parts.join("\n");
}
