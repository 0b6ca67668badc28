import { describe, expect, it } from "vitest";
import { mrkdwnToHtml } from "../../../shared/local/slack/render-html.ts";
import { mrkdwnToText } from "../../../shared/local/slack/render-text.ts";

const names = new Map([["U04ANA0001", "ana"]]);

describe("mrkdwn in the transcripts", () => {
  it("names mentions, unescapes Slack entities and drops markers in text", () => {
    expect(mrkdwnToText("*<@U04ANA0001> approved*: a &lt;b&gt; &amp; _c_ :zzz:", names)).toBe(
      "@ana approved: a <b> & c 💤",
    );
    expect(mrkdwnToText("see <https://example.com/x|the page> and <!here>")).toBe(
      "see the page (https://example.com/x) and @here",
    );
    expect(mrkdwnToText(">quoted\n>lines")).toBe("│ quoted\n│ lines");
    expect(mrkdwnToText("```boom```")).toBe("boom");
  });

  it("renders HTML safely: escaped text, only http(s)/mailto links, nothing formatted inside code", () => {
    expect(mrkdwnToHtml("&lt;img src=x onerror=alert(1)&gt;")).toBe("&lt;img src=x onerror=alert(1)&gt;");
    expect(mrkdwnToHtml("<javascript:alert(1)|click>")).toBe("click");
    expect(mrkdwnToHtml('<https://example.com/?a=1&amp;b="2"|go>')).toBe(
      '<a href="https://example.com/?a=1&amp;b=%222%22" rel="noopener noreferrer">go</a>',
    );
    expect(mrkdwnToHtml("`*not bold*` *bold*")).toBe("<code>*not bold*</code> <b>bold</b>");
    expect(mrkdwnToHtml("*<@U04ANA0001> approved*", names)).toBe(
      '<b><span class="mention">@ana</span> approved</b>',
    );
  });
});
