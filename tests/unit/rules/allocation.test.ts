import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitByWeight } from "../../../app/domain/rules";

const INF = Number.POSITIVE_INFINITY;

function split(total: number, claimants: [string, number, number?][]): Record<string, number> {
  return Object.fromEntries(splitByWeight(total, claimants.map(([key, weight, capacity]) => ({ key, weight, capacity: capacity ?? INF }))));
}

describe("splitByWeight", () => {
  it("gives the left-over units to the largest remainders, ties in listed order", () => {
    expect(split(10, [["a", 1], ["b", 1], ["c", 1]])).toEqual({ a: 4, b: 3, c: 3 });
    expect(split(2, [["a", 1], ["b", 1], ["c", 1]])).toEqual({ a: 1, b: 1, c: 0 });
    expect(split(7, [["a", 1], ["b", 2]])).toEqual({ a: 2, b: 5 });
  });

  it("passes a capped claimant's overflow to the others", () => {
    expect(split(30, [["a", 1], ["b", 1], ["c", 1, 2]])).toEqual({ a: 14, b: 14, c: 2 });
    expect(split(30, [["a", 1, 1], ["b", 1, 2]])).toEqual({ a: 1, b: 2 });
  });

  it("gives nothing to weight 0 or capacity 0, and nothing from nothing", () => {
    expect(split(9, [["a", 0], ["b", 1, 0], ["c", 1]])).toEqual({ a: 0, b: 0, c: 9 });
    expect(split(0, [["a", 1]])).toEqual({ a: 0 });
    expect(split(-4, [["a", 1]])).toEqual({ a: 0 });
  });

  it("never hands out more than the total or a capacity, and hands out everything that fits", () => {
    fc.assert(
      fc.property(
        fc.nat(500),
        fc.array(fc.record({ weight: fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 5, noNaN: true })), capacity: fc.oneof(fc.constant(INF), fc.nat(100)) }), { minLength: 1, maxLength: 6 }),
        (total, claimants) => {
          const given = splitByWeight(total, claimants.map((claimant, key) => ({ key, ...claimant })));
          const parts = [...given.values()];
          const sum = parts.reduce((a, b) => a + b, 0);
          expect(sum).toBeLessThanOrEqual(total);
          claimants.forEach((claimant, key) => {
            const part = given.get(key) as number;
            expect(Number.isInteger(part)).toBe(true);
            expect(part).toBeGreaterThanOrEqual(0);
            expect(part).toBeLessThanOrEqual(claimant.capacity);
            if (claimant.weight === 0) expect(part).toBe(0);
          });
          const room = claimants.filter((claimant) => claimant.weight > 0).reduce((a, claimant) => a + claimant.capacity, 0);
          expect(sum).toBe(Math.min(total, room));
        },
      ),
    );
  });
});
