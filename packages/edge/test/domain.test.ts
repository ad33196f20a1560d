import { describe, expect, it } from "vitest";
import { certificateNameProblem, domainNameProblem, isWithinZone, validationDomain } from "../src/index";

describe("domain names", () => {
  it("accepts lower-case registered names, subdomains and punycode", () => {
    for (const name of ["example.com", "tidilyspace.app", "www.example.co.jp", "xn--r8jz45g.jp", "a-b.example.com"]) {
      expect(domainNameProblem(name)).toBeUndefined();
    }
    expect(domainNameProblem(`${"a".repeat(63)}.com`)).toBeUndefined();
  });

  it("explains each kind of bad name", () => {
    expect(domainNameProblem("")).toBe("is empty");
    expect(domainNameProblem("https://example.com")).toMatch(/URL scheme/);
    expect(domainNameProblem("example.com/app")).toMatch(/path/);
    expect(domainNameProblem("example.com.")).toMatch(/trailing dot/);
    expect(domainNameProblem("Example.com")).toMatch(/lower case/);
    expect(domainNameProblem("localhost")).toMatch(/single label/);
    expect(domainNameProblem("a..com")).toMatch(/empty label/);
    expect(domainNameProblem(`${"a".repeat(64)}.com`)).toMatch(/longer than 63/);
    expect(domainNameProblem(`${"a.".repeat(127)}com`)).toMatch(/longer than 253/);
    expect(domainNameProblem("-bad.com")).toMatch(/label "-bad"/);
    expect(domainNameProblem("under_score.com")).toMatch(/label "under_score"/);
    expect(domainNameProblem("10.0.0.1")).toMatch(/numeric/);
  });

  it("allows a wildcard only as the leftmost label of a certificate name", () => {
    expect(certificateNameProblem("*.example.com")).toBeUndefined();
    expect(certificateNameProblem("*.*.example.com")).toMatch(/only one wildcard/);
    expect(certificateNameProblem("www.*.example.com")).toMatch(/leftmost/);
  });

  it("maps a wildcard to the domain ACM validates and checks zone membership", () => {
    expect(validationDomain("*.example.com")).toBe("example.com");
    expect(validationDomain("www.example.com")).toBe("www.example.com");
    expect(isWithinZone("www.example.com", "example.com")).toBe(true);
    expect(isWithinZone("example.com", "example.com")).toBe(true);
    expect(isWithinZone("myexample.com", "example.com")).toBe(false);
  });
});
