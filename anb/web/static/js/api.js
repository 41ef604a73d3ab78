// The only place that talks to the server: every endpoint the UI uses is a function below, and
// every failure becomes an ApiError whose message is the API's own Spanish `detail`.

import * as session from "./session.js";

const NETWORK_ERROR = "No se pudo conectar con el servidor. Revisa tu conexión e inténtalo de nuevo.";

export class ApiError extends Error {
  constructor(status, detail, code) {
    super(detail);
    this.status = status;
    this.code = code;
  }
}

function errorFrom(status, body) {
  const detail = typeof body?.detail === "string" ? body.detail : `Error inesperado del servidor (HTTP ${status}).`;
  return new ApiError(status, detail, body?.code);
}

async function call(method, path, { json, auth = false } = {}) {
  const send = async () => {
    const headers = { Accept: "application/json" };
    if (json !== undefined) headers["Content-Type"] = "application/json";
    const token = auth ? session.current()?.access_token : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      const body = json === undefined ? undefined : JSON.stringify(json);
      return { token, response: await fetch(path, { method, headers, body }) };
    } catch {
      throw new ApiError(0, NETWORK_ERROR, "network");
    }
  };
  let { token, response } = await send();
  if (response.status === 401 && auth && (await refreshSession(token))) {
    ({ response } = await send());
  }
  const body = (response.headers.get("Content-Type") || "").includes("json")
    ? await response.json().catch(() => null)
    : null;
  if (!response.ok) throw errorFrom(response.status, body);
  return { body, headers: response.headers };
}

let refreshing = null;

/**
 * Trades the refresh token for new tokens after a 401, once. Rotation makes a refresh token
 * single-use and reusing one revokes the whole session, so refreshes never overlap: one at a time
 * in this tab (a shared promise) and across tabs (a Web Lock), and none at all when another tab
 * already rotated the tokens after `failedToken` was sent.
 */
function refreshSession(failedToken) {
  refreshing ??= withLock("anb-refresh", async () => {
    const stored = session.current();
    if (!stored?.refresh_token) return false;
    if (stored.access_token !== failedToken) return true;
    try {
      const response = await fetch("/api/auth/refresh", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ refresh_token: stored.refresh_token }),
      });
      if (response.ok) {
        session.saveTokens(await response.json());
        return true;
      }
      if (response.status === 401) session.clear();
      return false;
    } catch {
      return false;
    }
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function withLock(name, task) {
  return navigator.locks ? navigator.locks.request(name, task) : task();
}

export async function data(method, path, options) {
  return (await call(method, path, options)).body;
}

const query = (params) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
};

// Accounts
export const signup = (fields) => data("POST", "/api/auth/signup", { json: fields });
export const fanSignup = (fields) => data("POST", "/api/auth/signup/fan", { json: fields });
export async function login(email, password) {
  session.saveTokens(await data("POST", "/api/auth/login", { json: { email, password } }));
  // The profile only decorates the menu: a failure here must not undo a successful login.
  const profile = await data("GET", "/api/auth/me", { auth: true }).catch(() => null);
  // A fan's account has no city (docs/web.md): fans vote, players also upload.
  if (profile) session.saveProfile({ name: profile.first_name, userId: profile.user_id, fan: !profile.city });
}
export async function logout() {
  const stored = session.current();
  session.clear();
  if (!stored?.refresh_token) return;
  // Revokes the refresh token on the server; the session is gone locally whatever it answers.
  await data("POST", "/api/auth/logout", { json: { refresh_token: stored.refresh_token } }).catch(() => null);
}

// The player's own videos
// Direct uploads (docs/videos.md); the bytes themselves are sent by uploader.js.
export const openUpload = (fields) => data("POST", "/api/videos/uploads", { json: fields, auth: true });
export const uploadState = (id) => data("GET", `/api/videos/uploads/${encodeURIComponent(id)}`, { auth: true });
// On S3 `parts` names every part with the ETag S3 answered to its PUT; on local disk it stays empty.
export const completeUpload = (id, parts = []) =>
  data("POST", `/api/videos/uploads/${encodeURIComponent(id)}/complete`, { json: { parts }, auth: true });
export const abortUpload = (id) => data("DELETE", `/api/videos/uploads/${encodeURIComponent(id)}`, { auth: true });
export const accessToken = () => session.current()?.access_token;
export const myVideos = () => data("GET", "/api/videos?limit=100", { auth: true });
export const deleteVideo = (id) => data("DELETE", `/api/videos/${encodeURIComponent(id)}`, { auth: true });

// Public pages
export const vote = (id) => data("POST", `/api/public/videos/${encodeURIComponent(id)}/vote`, { auth: true });
export const cities = () => data("GET", "/api/public/cities");
export const gallery = ({ city, q, sort, limit, offset }) =>
  data("GET", `/api/public/gallery${query({ city, q, sort, limit, offset })}`);
export const galleryVideo = (id) => data("GET", `/api/public/gallery/${encodeURIComponent(id)}`);
export const player = (id) => data("GET", `/api/public/players/${encodeURIComponent(id)}`);
export const myVotes = () => data("GET", "/api/public/my-votes", { auth: true });
export async function players({ city, limit, page }) {
  const { body, headers } = await call("GET", `/api/public/players${query({ city, limit, page })}`);
  return { entries: body, total: Number(headers.get("X-Total-Count") || body.length) };
}
