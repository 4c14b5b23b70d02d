import { randomBytes } from "node:crypto";
import { revokeFeed, setFeedToken } from "../../repositories/channel-feeds";
import type { Runtime } from "../../runtime";

/** 32 random bytes (256 bits) in base64url: unguessable, and safe in a URL path without escaping. */
export const FEED_TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newFeedToken(): string {
  return randomBytes(FEED_TOKEN_BYTES).toString("base64url");
}

/** Rejects anything that could not be a token before it reaches the database. */
export function isWellFormedFeedToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** A new URL for the feed; the old one stops working at once (the channel must be given the new one). */
export async function rotateFeedToken(runtime: Runtime, shop: string, feedId: string): Promise<boolean> {
  return setFeedToken(runtime.db.sql, shop, feedId, newFeedToken());
}

/** The feed's URL answers 404 until the token is rotated. */
export async function revokeFeedToken(runtime: Runtime, shop: string, feedId: string): Promise<boolean> {
  return revokeFeed(runtime.db.sql, shop, feedId);
}
