// #/video/<id>: one published video, shareable by its address.

import * as api from "../api.js";
import { h, notice } from "../dom.js";
import { videoCard } from "../video-card.js";

export function render({ params: [id], signal, navigate }) {
  const messages = notice();
  const back = h("p", {}, h("a", { href: "#/galeria" }, "← Volver a la galería"));
  // A placeholder heading until the video arrives, so the page is never without an h1.
  const heading = h("h1", { tabindex: "-1" }, "Video");
  const node = h("section", { class: "page page--narrow", "aria-busy": "true" }, back, heading, messages.node);
  api
    .publicVideo(id)
    .then((video) => {
      if (signal.aborted) return;
      const card = videoCard(video, { heading: "h1", navigate });
      card.classList.add("card--large");
      const focused = document.activeElement === heading;
      heading.replaceWith(card);
      if (focused) card.querySelector("h1").focus();
      document.title = `${video.title} · ANB Rising Stars`;
    })
    .catch((error) => messages.error(error.message))
    .finally(() => node.removeAttribute("aria-busy"));
  return { node, title: "Video" };
}
