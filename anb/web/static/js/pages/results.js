// #/resultados: each city's final standing, frozen at the close, with its squad marked.

import { ApiError } from "../api.js";
import { results } from "../contest-api.js";
import { formatVotes, h, notice, pageHeading } from "../dom.js";

export function render({ signal }) {
  const messages = notice();
  const cities = h("div", { class: "results" });
  const proof = h("p", { class: "results__proof" });
  const node = h(
    "section",
    { class: "page", "aria-busy": "true" },
    pageHeading("Resultados"),
    messages.node,
    proof,
    cities,
  );
  results()
    .then((published) => {
      if (signal.aborted) return;
      proof.append(
        `Clasificación congelada al cierre. Votos contados: ${published.votes}. Huella de la cadena: `,
        h("code", {}, published.head_digest),
        ". ",
        h("a", { href: "#/reglas" }, "Cómo comprobarla"),
      );
      cities.append(...published.standings.map(city));
      if (published.standings.length === 0) messages.info("Ninguna ciudad tuvo jugadores con videos publicados.");
    })
    .catch((error) => {
      if (error instanceof ApiError && error.status === 404) messages.info(error.message);
      else messages.error(error.message);
    })
    .finally(() => node.removeAttribute("aria-busy"));
  return { node, title: "Resultados" };
}

function city(standing) {
  const rows = standing.players.map((player) =>
    h(
      "tr",
      { class: player.squad ? "results__squad" : null, "data-squad": player.squad ? "true" : "false" },
      h("td", {}, player.tied ? `${player.rank} (empate)` : String(player.rank)),
      h("th", { scope: "row" }, player.name),
      h("td", { class: "ranking__votes" }, formatVotes(player.votes)),
      h("td", {}, player.squad ? "Seleccionado" : ""),
    ),
  );
  return h(
    "section",
    { class: "results__city", "data-city": standing.city_key },
    h("h2", {}, standing.city),
    h(
      "table",
      { class: "ranking" },
      h("caption", { class: "visually-hidden" }, `Clasificación final de ${standing.city}`),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Puesto"),
          h("th", { scope: "col" }, "Jugador"),
          h("th", { scope: "col", class: "ranking__votes" }, "Votos"),
          h("th", { scope: "col" }, "Selección"),
        ),
      ),
      h("tbody", {}, ...rows),
    ),
  );
}
