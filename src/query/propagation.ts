/**
 * KMS is eventually consistent (AWS KMS developer guide, "Eventual consistency"): a retired or revoked grant
 * may keep working for up to about five minutes, and a disabled key "becomes unusable right away (subject to
 * eventual consistency)". A call within this long of the change that should have refused it may still succeed.
 */
export const PROPAGATION_MS = 5 * 60 * 1000;
