// The contest's endpoints (docs/contest.md), on api.js's one request path.

import { data } from "./api.js";

export const contest = () => data("GET", "/api/public/contest");
export const results = () => data("GET", "/api/public/results");
export const profile = () => data("GET", "/api/auth/me", { auth: true });
export const confirmEmail = (token) => data("POST", "/api/auth/confirm", { json: { token } });
export const resendConfirmation = () => data("POST", "/api/auth/confirm/resend", { auth: true });

const DATE_TIME = new Intl.DateTimeFormat("es-CO", {
  dateStyle: "long",
  timeStyle: "short",
  timeZone: "America/Bogota",
});

/** An instant of the API (UTC) as people read it: Colombia's time. */
export const colombian = (iso) => `${DATE_TIME.format(new Date(iso))} (hora de Colombia)`;

// Rules change rarely (an operator moving a date): a page asks again after this long.
const RULES_TTL_MS = 60_000;
let rules = null;
let rulesAt = 0;

/** The rules, shared by the page's modules, with the offset of the server's clock from this one's. */
export function contestRules() {
  if (!rules || Date.now() - rulesAt > RULES_TTL_MS) {
    rulesAt = Date.now();
    rules = contest().then((answer) => ({ ...answer, offset: Date.parse(answer.now) - Date.now() }));
    rules.catch(() => {
      rules = null;
    });
  }
  return rules;
}

/** Milliseconds until `iso` by the server's clock (negative once it has passed). */
export const untilInstant = (contestAnswer, iso) => Date.parse(iso) - (Date.now() + contestAnswer.offset);

/**
 * Whether voting has closed, by the server's clock: the vote buttons give way to the results then.
 * A failure counts as open: the server still has the last word on every vote.
 */
export async function votingClosed() {
  try {
    const answer = await contestRules();
    return answer.closes_at !== null && untilInstant(answer, answer.closes_at) <= 0;
  } catch {
    return false;
  }
}
