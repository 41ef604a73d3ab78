// /players/<id> (stable and shareable like a video's page): a player's published videos, total
// votes and place in their city's ranking.

import * as api from "../api.js";
import { formatVotes, h, notice } from "../dom.js";
import { shareButton } from "../share.js";
import { playerPath, videoCard } from "../video-card.js";

export function render({ params: [id], signal }) {
  const messages = notice();
  const heading = h("h1", { tabindex: "-1" }, "Jugador");
  const details = h("div", { class: "profile" });
  const node = h("section", { class: "page", "aria-busy": "true" }, heading, messages.node, details);
  api
    .player(id)
    .then((player) => {
      if (signal.aborted) return;
      heading.textContent = player.player_name;
      document.title = `${player.player_name} · ANB Rising Stars`;
      const count = player.videos.length;
      details.append(
        h(
          "ul",
          { class: "stats", "aria-label": "Resumen" },
          h("li", {}, h("strong", {}, player.city), "Ciudad"),
          h("li", {}, h("strong", {}, formatVotes(player.votes)), "en total"),
          h(
            "li",
            {},
            h("strong", {}, player.city_rank ? `Puesto ${player.city_rank}` : "Sin votos aún"),
            `en el ranking de ${player.city}`,
          ),
          h("li", {}, h("strong", {}, `${count} ${count === 1 ? "video" : "videos"}`), "publicados"),
        ),
        shareButton({ title: player.player_name, text: `${player.player_name} en ANB Rising Stars`, path: playerPath(player.player_id) }),
        h("h2", {}, "Videos"),
        h(
          "ul",
          { class: "cards", "aria-label": `Videos de ${player.player_name}` },
          ...player.videos.map((video) => h("li", {}, videoCard(video, { heading: "h3", showPlayer: false }))),
        ),
      );
    })
    .catch((error) => messages.error(error.message))
    .finally(() => node.removeAttribute("aria-busy"));
  return { node, title: "Jugador" };
}
