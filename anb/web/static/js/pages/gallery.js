// #/galeria?ciudad=<key>: published videos, newest first, a page at a time.

import * as api from "../api.js";
import { h, notice, pageHeading } from "../dom.js";
import { citySelect } from "../city-select.js";
import { videoCard } from "../video-card.js";

const PAGE_SIZE = 12;

export function render({ query, signal, navigate }) {
  const city = query.get("ciudad") || "";
  const messages = notice();
  const list = h("ul", { class: "cards", "aria-label": "Videos publicados" });
  const more = h("button", { type: "button", class: "button button--secondary", hidden: true }, "Cargar más videos");
  const node = h(
    "section",
    { class: "page" },
    pageHeading("Galería de jugadores"),
    h("p", { class: "lead" }, "Mira a los aspirantes de tu ciudad y vota por tus favoritos."),
    citySelect(city, (key) => navigate(key ? `/galeria?ciudad=${encodeURIComponent(key)}` : "/galeria")),
    messages.node,
    list,
    more,
  );

  let offset = 0;
  async function loadPage() {
    more.hidden = true;
    node.setAttribute("aria-busy", "true");
    try {
      const videos = await api.publicVideos({ city, limit: PAGE_SIZE, offset });
      if (signal.aborted) return;
      offset += videos.length;
      list.append(...videos.map((video) => h("li", {}, videoCard(video, { heading: "h2", navigate }))));
      if (offset === 0) messages.info("Todavía no hay videos publicados aquí.");
      more.hidden = videos.length < PAGE_SIZE;
    } catch (error) {
      messages.error(error.message);
    } finally {
      node.removeAttribute("aria-busy");
    }
  }
  more.addEventListener("click", loadPage);
  loadPage();
  return { node, title: "Galería" };
}
