// The operators' endpoints (/api/admin/...): every one answers 403 with the API's own message to a
// player, shown as is by the page.

import { data } from "./api.js";

export const flags = (state = "open") => data("GET", `/api/admin/flags?state=${encodeURIComponent(state)}`, { auth: true });
export const playerVotes = (id) => data("GET", `/api/admin/players/${encodeURIComponent(id)}/votes`, { auth: true });
export const audit = () => data("GET", "/api/admin/audit?limit=50", { auth: true });
export const decide = (decision) => data("POST", "/api/admin/votes/decisions", { auth: true, json: decision });
