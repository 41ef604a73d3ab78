// The videos the signed-in person has voted for, from /api/public/my-votes: loaded once per
// account and page load, so every card shows "Votado ✓" after a reload.

import * as api from "./api.js";
import * as session from "./session.js";

let loaded = null;
let owner = null;

/** A promise of the Set of voted video ids (empty when signed out or when the list cannot load). */
export function votedIds() {
  if (!session.isLoggedIn()) return Promise.resolve(new Set());
  const who = session.current()?.userId ?? "";
  if (loaded === null || owner !== who) {
    owner = who;
    loaded = api.myVotes().then(
      (answer) => new Set(answer.video_ids),
      () => new Set(),
    );
  }
  return loaded;
}

export function markVoted(id) {
  loaded = votedIds().then((ids) => ids.add(id));
}

// Another account (or none) from now on: forget the list.
session.onChange((current) => {
  if (!current?.refresh_token || (current.userId ?? "") !== owner) loaded = null;
});
