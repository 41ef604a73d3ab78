// #/galeria?ciudad=<key>&orden=votos&q=<name>: published videos as poster cards, newest or most
// voted first, filtered by city and player name, loaded a page at a time as the list scrolls.

import * as api from "../api.js";
import { field, h, notice, pageHeading } from "../dom.js";
import { citySelect } from "../city-select.js";
import { videoCard } from "../video-card.js";

const PAGE_SIZE = 12;
const SORTS = [
  ["recientes", "newest", "Más recientes"],
  ["votos", "votes", "Más votados"],
];

const address = ({ city, sort, search }) => {
  const query = new URLSearchParams();
  if (city) query.set("ciudad", city);
  if (sort !== "recientes") query.set("orden", sort);
  if (search) query.set("q", search);
  const text = query.toString();
  return `/galeria${text ? `?${text}` : ""}`;
};

export function render({ query, signal, navigate }) {
  const state = {
    city: query.get("ciudad") || "",
    sort: SORTS.some(([name]) => name === query.get("orden")) ? query.get("orden") : "recientes",
    search: (query.get("q") || "").trim(),
  };
  const go = (change) => navigate(address({ ...state, ...change }));
  const messages = notice();
  const list = h("ul", { class: "cards", "aria-label": "Videos publicados" });
  const more = h("button", { type: "button", class: "button button--secondary", hidden: true }, "Cargar más videos");
  const node = h(
    "section",
    { class: "page" },
    pageHeading("Galería de jugadores"),
    h("p", { class: "lead" }, "Mira a los aspirantes de tu ciudad y vota por tus favoritos."),
    filters(state, go),
    messages.node,
    list,
    more,
  );

  let offset = 0;
  let loading = false;
  async function loadPage() {
    if (loading) return;
    loading = true;
    more.hidden = true;
    node.setAttribute("aria-busy", "true");
    try {
      const sort = SORTS.find(([name]) => name === state.sort)[1];
      const videos = await api.gallery({ city: state.city, q: state.search, sort, limit: PAGE_SIZE, offset });
      if (signal.aborted) return;
      offset += videos.length;
      list.append(...videos.map((video) => h("li", {}, videoCard(video, { heading: "h2" }))));
      if (offset === 0) {
        messages.info(state.search ? `Ningún jugador se llama «${state.search}» aquí.` : "Todavía no hay videos publicados aquí.");
      }
      more.hidden = videos.length < PAGE_SIZE;
    } catch (error) {
      messages.error(error.message);
    } finally {
      loading = false;
      node.removeAttribute("aria-busy");
    }
  }
  more.addEventListener("click", loadPage);
  // Infinite scroll: the next page loads as the button comes into view; the button stays for
  // keyboards and for browsers without IntersectionObserver.
  if ("IntersectionObserver" in window) {
    const watcher = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !more.hidden) loadPage();
    }, { rootMargin: "400px" });
    watcher.observe(more);
    signal.addEventListener("abort", () => watcher.disconnect());
  }
  loadPage();
  return { node, title: "Galería" };
}

function filters(state, go) {
  const search = field("Buscar jugador", {
    id: "buscar",
    name: "q",
    type: "search",
    value: state.search,
    maxlength: 100,
    autocomplete: "off",
    placeholder: "Nombre o apellido",
  });
  const form = h(
    "form",
    { class: "filters__search", role: "search" },
    search.node,
    h("button", { type: "submit", class: "button" }, "Buscar"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go({ search: search.input.value.trim() });
  });
  const sort = h(
    "select",
    { id: "orden", name: "orden" },
    ...SORTS.map(([name, , label]) => h("option", { value: name, selected: name === state.sort }, label)),
  );
  sort.addEventListener("change", () => go({ sort: sort.value }));
  return h(
    "div",
    { class: "filters" },
    form,
    h("div", { class: "field" }, h("label", { for: "orden" }, "Ordenar por"), sort),
    citySelect(state.city, (city) => go({ city })),
  );
}
