// The player's session: the access and refresh tokens plus the name shown in the menu.
// Kept in localStorage so a session survives reloads and is shared by every tab; the tokens are
// only ever sent to this origin's API (the strict CSP forbids third-party scripts that could read them).

const KEY = "anb.session";
const FLASH_KEY = "anb.flash";
const listeners = new Set();

export function current() {
  try {
    return JSON.parse(localStorage.getItem(KEY));
  } catch {
    return null;
  }
}

export function isLoggedIn() {
  return Boolean(current()?.refresh_token);
}

/** Stores a login or refresh answer (the refresh token is rotated: the old one is dead). */
export function saveTokens(answer) {
  const session = {
    ...current(),
    access_token: answer.access_token,
    refresh_token: answer.refresh_token,
    expires_at: Date.now() + answer.expires_in * 1000,
  };
  localStorage.setItem(KEY, JSON.stringify(session));
  notify();
}

/** `{ name, userId, fan }` from the profile: the menu's name, the player's own id, a fan account or not. */
export function saveProfile(profile) {
  const session = current();
  if (!session) return;
  localStorage.setItem(KEY, JSON.stringify({ ...session, ...profile }));
  notify();
}

/** Players upload; fans only vote. Sessions stored before fans existed are players'. */
export const isPlayer = () => isLoggedIn() && !current()?.fan;

export function clear() {
  localStorage.removeItem(KEY);
  notify();
}

export function onChange(listener) {
  listeners.add(listener);
}

function notify() {
  for (const listener of listeners) listener(current());
}

// Another tab logged in, refreshed or logged out.
window.addEventListener("storage", (event) => {
  if (event.key === KEY || event.key === null) notify();
});

/** A one-shot message for the next page (e.g. "account created" shown on the login page). */
export function setFlash(flash) {
  sessionStorage.setItem(FLASH_KEY, JSON.stringify(flash));
}

export function takeFlash() {
  const raw = sessionStorage.getItem(FLASH_KEY);
  sessionStorage.removeItem(FLASH_KEY);
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
