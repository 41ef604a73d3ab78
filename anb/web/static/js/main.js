// Router: each page module renders into a fresh container. App pages live in the hash of "/"
// ("#/path?query"), so the back button works without server routes; a video and a player have
// real paths (/videos/<id>, /players/<id>) that the server answers with their preview tags.

import * as api from "./api.js";
import * as session from "./session.js";
import * as admin from "./pages/admin.js";
import * as fanSignup from "./pages/fan-signup.js";
import * as gallery from "./pages/gallery.js";
import * as login from "./pages/login.js";
import * as myVideos from "./pages/my-videos.js";
import * as player from "./pages/player.js";
import * as rankings from "./pages/rankings.js";
import * as signup from "./pages/signup.js";
import * as upload from "./pages/upload.js";
import * as video from "./pages/video.js";
import * as confirm from "./pages/confirm.js";
import * as home from "./pages/home.js";
import * as results from "./pages/results.js";
import * as rules from "./pages/rules.js";

const PAGE_PATH = /^\/(videos|players)\/[^/]+$/;
const ROUTES = [
  { pattern: /^\/inicio$/, page: home },
  { pattern: /^\/reglas$/, page: rules },
  { pattern: /^\/resultados$/, page: results },
  { pattern: /^\/confirmar$/, page: confirm },
  { pattern: /^\/galeria$/, page: gallery },
  { pattern: /^\/videos\/([^/]+)$/, page: video },
  { pattern: /^\/players\/([^/]+)$/, page: player },
  { pattern: /^\/ranking$/, page: rankings },
  { pattern: /^\/registro$/, page: signup },
  { pattern: /^\/registro-aficionado$/, page: fanSignup },
  { pattern: /^\/ingresar$/, page: login },
  { pattern: /^\/subir$/, page: upload, needsLogin: true },
  { pattern: /^\/mis-videos$/, page: myVideos, needsLogin: true },
  { pattern: /^\/admin$/, page: admin, needsLogin: true },
];
const HOME = "/inicio";
const main = document.getElementById("contenido");
const menuButton = document.getElementById("menu-button");
let shownPath = null;
let leave = null;

function parseLocation() {
  const [path, search = ""] = location.hash.replace(/^#/, "").split("?");
  // /videos/<id> and /players/<id> are pages of their own; a hash there (a login link) wins.
  const fallback = PAGE_PATH.test(location.pathname) ? location.pathname : HOME;
  return { path: path || fallback, query: new URLSearchParams(search) };
}

/** Videos and players are real addresses (their shareable URLs); every other page is a hash route. */
const navigate = (target) => {
  if (PAGE_PATH.test(target.split("?")[0])) location.assign(target);
  else if (location.pathname !== "/") location.assign(`/#${target}`);
  else location.hash = `#${target}`;
};

function render() {
  const { path, query } = parseLocation();
  const match = ROUTES.map((route) => ({ route, found: route.pattern.exec(path) })).find(({ found }) => found);
  const oldVideoLink = /^\/video\/([^/]+)$/.exec(path);
  if (oldVideoLink) {
    location.replace(`/videos/${oldVideoLink[1]}`);
    return;
  }
  if (!match) {
    location.replace(`/#${HOME}`);
    return;
  }
  if (match.route.needsLogin && !session.isLoggedIn()) {
    location.replace(`/#/ingresar?volver=${encodeURIComponent(location.hash.slice(1))}`);
    return;
  }
  leave?.abort();
  leave = new AbortController();
  const samePage = path === shownPath;
  const focusedId = document.activeElement?.id;
  const view = match.route.page.render({
    params: match.found.slice(1).map(decodeURIComponent),
    query,
    signal: leave.signal,
    navigate,
  });
  main.replaceChildren(view.node);
  setMenuOpen(false);
  document.title = `${view.title} · ANB Rising Stars`;
  markCurrent(path);
  // A filter change re-renders the same page: keep focus on the control the user was using.
  // A real navigation moves focus to the new page's heading (not on the first load).
  if (samePage && focusedId) document.getElementById(focusedId)?.focus();
  else if (shownPath !== null) main.querySelector("h1")?.focus();
  shownPath = path;
}

function markCurrent(path) {
  for (const link of document.querySelectorAll("#nav a[data-route]")) {
    if (path === `/${link.dataset.route}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function showSession() {
  const shown = {
    anonymous: !session.isLoggedIn(),
    "signed-in": session.isLoggedIn(),
    player: session.isPlayer(),
  };
  for (const item of document.querySelectorAll("#nav [data-when]")) {
    item.hidden = !shown[item.dataset.when];
  }
  const name = session.current()?.name;
  document.getElementById("logout").textContent = name ? `Salir (${name})` : "Salir";
}

document.getElementById("logout").addEventListener("click", async () => {
  await api.logout();
  navigate(HOME);
});

// The skip link focuses the content without touching the hash, which belongs to the router.
document.querySelector(".skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});

// On a phone the menu folds behind one button (app.css shows it whole on wider screens).
function setMenuOpen(open) {
  menuButton.setAttribute("aria-expanded", String(open));
}
menuButton.addEventListener("click", () => setMenuOpen(menuButton.getAttribute("aria-expanded") !== "true"));
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && menuButton.getAttribute("aria-expanded") === "true") {
    setMenuOpen(false);
    menuButton.focus();
  }
});

session.onChange(showSession);
window.addEventListener("hashchange", render);
showSession();
render();
