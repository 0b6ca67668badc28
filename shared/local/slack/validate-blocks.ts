/**
 * The Block Kit limits Slack enforces on chat.postMessage/update, checked the way Slack answers
 * (`invalid_blocks` with `[ERROR] … [json-pointer:/blocks/…]` messages), so a builder that
 * overflows a field fails locally instead of in someone's workspace.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function textOf(v: unknown): string | undefined {
  return isObject(v) && typeof v.text === "string" ? v.text : undefined;
}

export function blockProblems(blocks: unknown): string[] {
  const problems: string[] = [];
  const err = (pointer: string, message: string) =>
    problems.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
  const maxLen = (pointer: string, value: string | undefined, max: number) => {
    if (value !== undefined && value.length > max) err(pointer, `must be less than ${max + 1} characters`);
  };

  if (!Array.isArray(blocks)) {
    err("/blocks", "must be an array");
    return problems;
  }
  if (blocks.length > 50) err("/blocks", "no more than 50 items allowed");

  const checkElement = (el: unknown, at: string) => {
    if (!isObject(el) || typeof el.type !== "string") {
      err(at, "must provide a type");
      return;
    }
    maxLen(`${at}/action_id`, typeof el.action_id === "string" ? el.action_id : undefined, 255);
    if (el.type === "button") {
      maxLen(`${at}/text/text`, textOf(el.text), 75);
      maxLen(`${at}/value`, typeof el.value === "string" ? el.value : undefined, 2000);
      maxLen(`${at}/url`, typeof el.url === "string" ? el.url : undefined, 3000);
    }
    if (Array.isArray(el.options)) {
      if (el.options.length > 100) err(`${at}/options`, "no more than 100 items allowed");
      el.options.forEach((o, k) => {
        maxLen(`${at}/options/${k}/text/text`, textOf(isObject(o) ? o.text : undefined), 75);
        maxLen(
          `${at}/options/${k}/value`,
          isObject(o) && typeof o.value === "string" ? o.value : undefined,
          150,
        );
      });
    }
    if (isObject(el.confirm)) {
      maxLen(`${at}/confirm/title/text`, textOf(el.confirm.title), 100);
      maxLen(`${at}/confirm/text/text`, textOf(el.confirm.text), 300);
      maxLen(`${at}/confirm/confirm/text`, textOf(el.confirm.confirm), 30);
      maxLen(`${at}/confirm/deny/text`, textOf(el.confirm.deny), 30);
    }
  };

  blocks.forEach((block, i) => {
    const at = `/blocks/${i}`;
    if (!isObject(block) || typeof block.type !== "string") {
      err(at, "must provide a type");
      return;
    }
    maxLen(`${at}/block_id`, typeof block.block_id === "string" ? block.block_id : undefined, 255);
    switch (block.type) {
      case "header":
        maxLen(`${at}/text/text`, textOf(block.text), 150);
        break;
      case "section": {
        const fields = Array.isArray(block.fields) ? block.fields : undefined;
        if (textOf(block.text) === undefined && !fields) err(at, "must provide either text or fields");
        maxLen(`${at}/text/text`, textOf(block.text), 3000);
        if (fields && fields.length > 10) err(`${at}/fields`, "no more than 10 items allowed");
        fields?.forEach((f, k) => {
          maxLen(`${at}/fields/${k}/text`, textOf(f), 2000);
        });
        if (block.accessory !== undefined) checkElement(block.accessory, `${at}/accessory`);
        break;
      }
      case "context": {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0 || elements.length > 10) err(`${at}/elements`, "must have 1 to 10 items");
        break;
      }
      case "actions": {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0 || elements.length > 25) err(`${at}/elements`, "must have 1 to 25 items");
        const ids = new Set<string>();
        elements.forEach((el, k) => {
          checkElement(el, `${at}/elements/${k}`);
          const id = isObject(el) && typeof el.action_id === "string" ? el.action_id : undefined;
          if (id !== undefined) {
            if (ids.has(id)) err(`${at}/elements/${k}/action_id`, "action_id must be unique within a block");
            ids.add(id);
          }
        });
        break;
      }
      default:
        break;
    }
  });
  return problems;
}
