// The city filter shared by the gallery and the rankings, filled from /api/public/cities.

import * as api from "./api.js";
import { h } from "./dom.js";

/** `selected` is a city key ("" for all cities); `onChoose(key)` runs when the player picks one. */
export function citySelect(selected, onChoose) {
  const select = h("select", { id: "ciudad", name: "ciudad" }, h("option", { value: "" }, "Todas las ciudades"));
  select.addEventListener("change", () => onChoose(select.value));
  api
    .cities()
    .then((cities) => {
      for (const { city, key } of cities) select.append(h("option", { value: key, selected: key === selected }, city));
    })
    .catch(() => {
      // Without the list the filter offers "all cities" only; the page's own request reports errors.
    });
  return h("div", { class: "field field--inline" }, h("label", { for: "ciudad" }, "Ciudad"), select);
}
