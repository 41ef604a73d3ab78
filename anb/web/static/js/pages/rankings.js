// #/ranking?ciudad=<key>&pagina=<n>: players ordered by the votes of their videos, each a link to their profile.

import * as api from "../api.js";
import { citySelect } from "../city-select.js";
import { formatVotes, h, notice, pageHeading } from "../dom.js";
import { markTiesAndCutoff } from "../ranking-cutoff.js";
import { playerPath } from "../video-card.js";

const PAGE_SIZE = 10;

const address = (city, page) => {
  const query = new URLSearchParams();
  if (city) query.set("ciudad", city);
  if (page > 1) query.set("pagina", String(page));
  const text = query.toString();
  return `/ranking${text ? `?${text}` : ""}`;
};

export function render({ query, signal, navigate }) {
  const city = query.get("ciudad") || "";
  const page = Math.max(1, Number.parseInt(query.get("pagina") || "1", 10) || 1);
  const messages = notice();
  const body = h("tbody");
  const table = h(
    "table",
    { class: "ranking", hidden: true },
    h("caption", { class: "visually-hidden" }, "Ranking de jugadores por votos"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Posición"),
        h("th", { scope: "col" }, "Jugador"),
        h("th", { scope: "col" }, "Ciudad"),
        h("th", { scope: "col", class: "ranking__votes" }, "Votos"),
      ),
    ),
    body,
  );
  const pager = h("nav", { class: "pager", "aria-label": "Páginas del ranking" });
  const node = h(
    "section",
    { class: "page", "aria-busy": "true" },
    pageHeading("Ranking de jugadores"),
    h("p", { class: "lead" }, "Los jugadores con más votos de cada ciudad pasan al torneo."),
    h("div", { class: "filters" }, citySelect(city, (key) => navigate(address(key, 1)))),
    messages.node,
    table,
    pager,
  );

  api
    .players({ city, limit: PAGE_SIZE, page })
    .then(({ entries, total }) => {
      if (signal.aborted) return;
      const rows = entries.map(row);
      body.append(...rows);
      markTiesAndCutoff(rows, entries, { city });
      table.hidden = entries.length === 0;
      if (total === 0) messages.info("Todavía no hay jugadores con votos aquí.");
      pager.append(...pagerLinks(city, page, Math.ceil(total / PAGE_SIZE)));
    })
    .catch((error) => messages.error(error.message))
    .finally(() => node.removeAttribute("aria-busy"));
  return { node, title: "Ranking" };
}

const row = (entry) =>
  h(
    "tr",
    {},
    h("td", { class: "ranking__position" }, String(entry.position)),
    h("th", { scope: "row" }, h("a", { href: playerPath(entry.player_id) }, entry.player_name)),
    h("td", {}, entry.city),
    h("td", { class: "ranking__votes" }, formatVotes(entry.votes)),
  );

function pagerLinks(city, page, pages) {
  if (pages <= 1) return [];
  // Links at the ends stay in place but inert, so the layout does not jump between pages.
  const step = (label, target, rel) =>
    target >= 1 && target <= pages
      ? h("a", { href: `#${address(city, target)}`, rel, class: "button button--secondary" }, label)
      : h("span", { class: "button button--secondary", "aria-disabled": "true" }, label);
  return [
    step("← Anterior", page - 1, "prev"),
    h("span", { class: "pager__status" }, `Página ${page} de ${pages}`),
    step("Siguiente →", page + 1, "next"),
  ];
}
