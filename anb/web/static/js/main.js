// Hash router: each page module renders into a fresh container; "#/path?query" keeps every view
// linkable and lets the back button work without any server-side routes beyond "/".

import * as api from "./api.js";
import * as session from "./session.js";
import * as admin from "./pages/admin.js";
import * as gallery from "./pages/gallery.js";
import * as login from "./pages/login.js";
import * as myVideos from "./pages/my-videos.js";
import * as rankings from "./pages/rankings.js";
import * as signup from "./pages/signup.js";
import * as upload from "./pages/upload.js";
import * as video from "./pages/video.js";
import * as confirm from "./pages/confirm.js";
import * as home from "./pages/home.js";
import * as results from "./pages/results.js";
import * as rules from "./pages/rules.js";

const ROUTES = [
  { pattern: /^\/inicio$/, page: home },
  { pattern: /^\/reglas$/, page: rules },
  { pattern: /^\/resultados$/, page: results },
  { pattern: /^\/confirmar$/, page: confirm },
  { pattern: /^\/galeria$/, page: gallery },
  { pattern: /^\/video\/([^/]+)$/, page: video },
  { pattern: /^\/ranking$/, page: rankings },
  { pattern: /^\/registro$/, page: signup },
  { pattern: /^\/ingresar$/, page: login },
  { pattern: /^\/subir$/, page: upload, needsLogin: true },
  { pattern: /^\/mis-videos$/, page: myVideos, needsLogin: true },
  { pattern: /^\/admin$/, page: admin, needsLogin: true },
];
const HOME = "/inicio";
const main = document.getElementById("contenido");
let shownPath = null;
let leave = null;

function parseHash() {
  const [path, search = ""] = location.hash.replace(/^#/, "").split("?");
  return { path: path || HOME, query: new URLSearchParams(search) };
}

const navigate = (target) => {
  location.hash = `#${target}`;
};

function render() {
  const { path, query } = parseHash();
  const match = ROUTES.map((route) => ({ route, found: route.pattern.exec(path) })).find(({ found }) => found);
  if (!match) {
    location.replace(`#${HOME}`);
    return;
  }
  if (match.route.needsLogin && !session.isLoggedIn()) {
    location.replace(`#/ingresar?volver=${encodeURIComponent(location.hash.slice(1))}`);
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
  const loggedIn = session.isLoggedIn();
  for (const item of document.querySelectorAll("#nav [data-when]")) {
    item.hidden = item.dataset.when !== (loggedIn ? "player" : "anonymous");
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

session.onChange(showSession);
window.addEventListener("hashchange", render);
showSession();
render();
