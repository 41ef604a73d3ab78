// /videos/<id> (the stable, shareable address; the server renders its preview tags): one
// published video, playable in place, with its player, votes and a share button.

import * as api from "../api.js";
import { h, notice } from "../dom.js";
import { shareButton } from "../share.js";
import { videoCard, videoPath } from "../video-card.js";

export function render({ params: [id], signal }) {
  const messages = notice();
  const back = h("p", {}, h("a", { href: "/#/galeria" }, "← Volver a la galería"));
  // A placeholder heading until the video arrives, so the page is never without an h1.
  const heading = h("h1", { tabindex: "-1" }, "Video");
  const node = h("section", { class: "page page--narrow", "aria-busy": "true" }, back, heading, messages.node);
  api
    .galleryVideo(id)
    .then((video) => {
      if (signal.aborted) return;
      const card = videoCard(video, { heading: "h1" });
      card.querySelector(".card__body").append(
        shareButton({ title: video.title, text: `${video.title} · ${video.player_name}`, path: videoPath(video) }),
      );
      const focused = document.activeElement === heading;
      heading.replaceWith(card);
      if (focused) card.querySelector("h1").focus();
      document.title = `${video.title} · ${video.player_name} · ANB Rising Stars`;
    })
    .catch((error) => messages.error(error.message))
    .finally(() => node.removeAttribute("aria-busy"));
  return { node, title: "Video" };
}
