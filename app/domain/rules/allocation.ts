/**
 * Dividing whole units between channels (ADR 0014). Proportional shares by weight, rounded with the
 * largest-remainder method: everyone gets the whole part of their exact share, and the units left
 * over go one each to the largest fractional parts (ties: the order the claimants are listed in).
 * A claimant that hits its capacity (a channel's cap) keeps only what fits; the overflow is divided
 * again among the others, until nothing is left or everyone is full. The parts never add up to more
 * than the total, and no part is negative: a shared pool is divided, never duplicated.
 */

export interface Claimant<K> {
  key: K;
  /** Relative share; 0 takes nothing. */
  weight: number;
  /** Most units this claimant may take (Infinity when uncapped). */
  capacity: number;
}

export function splitByWeight<K>(total: number, claimants: readonly Claimant<K>[]): Map<K, number> {
  const given = new Map<K, number>(claimants.map((claimant) => [claimant.key, 0]));
  let remaining = Math.max(0, Math.floor(total));
  let active = claimants.filter((claimant) => claimant.weight > 0 && claimant.capacity > 0);
  while (remaining > 0 && active.length > 0) {
    const totalWeight = active.reduce((sum, claimant) => sum + claimant.weight, 0);
    const exact = active.map((claimant) => (remaining * claimant.weight) / totalWeight);
    const shares = exact.map((value) => Math.floor(value));
    let leftOver = remaining - shares.reduce((sum, share) => sum + share, 0);
    const byFraction = exact.map((value, index) => ({ index, fraction: value - Math.floor(value) })).sort((a, b) => b.fraction - a.fraction || a.index - b.index);
    for (let k = 0; leftOver > 0; k = (k + 1) % byFraction.length, leftOver -= 1) {
      const index = (byFraction[k] as { index: number }).index;
      shares[index] = (shares[index] as number) + 1;
    }
    let overflow = 0;
    const stillOpen: Claimant<K>[] = [];
    active.forEach((claimant, index) => {
      const has = given.get(claimant.key) as number;
      const share = shares[index] as number;
      const fits = Math.min(share, claimant.capacity - has);
      given.set(claimant.key, has + fits);
      overflow += share - fits;
      if (has + fits < claimant.capacity) stillOpen.push(claimant);
    });
    if (stillOpen.length === active.length) break;
    remaining = overflow;
    active = stillOpen;
  }
  return given;
}
