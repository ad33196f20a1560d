import { describe, expect, it } from "vitest";
import { maskedErrorLines, maskErrorLine } from "../error-text";

describe("maskedErrorLines", () => {
  it("starts at the first Error: line, drops box drawing and blank lines, masks quoted values", () => {
    const stderr = [
      "Initializing…",
      "╷",
      '│ Error: Invalid value for variable',
      "│ ",
      '│   on variables.tf line 3: var.alb_allowed_cidrs = "203.0.113.10/32"',
      "╵",
    ].join("\n");
    expect(maskedErrorLines(stderr)).toEqual([
      "Error: Invalid value for variable",
      '  on variables.tf line 3: var.alb_allowed_cidrs = "(masked)"',
    ]);
  });

  it("keeps the quoted name of a variable, output or resource, masks other quotes, and is idempotent", () => {
    const line = 'The root module input variable "alb_allowed_cidrs" is not set; value "203.0.113.0/24"; variable "x y"';
    const masked = 'The root module input variable "alb_allowed_cidrs" is not set; value "(masked)"; variable "(masked)"';
    expect(maskErrorLine(line)).toBe(masked);
    expect(maskErrorLine(masked)).toBe(masked);
    expect(maskErrorLine('output "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ" leaked')).toBe('output "(masked)" leaked');
  });

  it("masks long opaque tokens outside quotes and keeps at most max lines", () => {
    expect(maskErrorLine("token abcdefghijklmnopqrstuvwxyz0123456789ABCD leaked")).toBe("token (masked) leaked");
    expect(maskedErrorLines("Error: a\nb\nc\nd", 2)).toEqual(["Error: a", "b"]);
  });
});
